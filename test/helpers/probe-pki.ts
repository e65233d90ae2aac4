// Certificates for the probe tests, minted at test time with the simulator's minting (node-forge's
// asn1 layer, signed with node:crypto). Dates are whole seconds (X.509 has no milliseconds).
import type { KeyObject } from 'node:crypto';
import { mintCertificate } from '../../src/sim/mint-certificate.js';

export const second = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);
export const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

export interface Issued {
  pem: string;
  commonName: string;
  key: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

export function issue(commonName: string, key: KeyObject, issuer: Issued | null, o: { sans?: string[]; from: number; to: number; isCA?: boolean }): Issued {
  const notBefore = second(o.from);
  const notAfter = second(o.to);
  const pem = mintCertificate({
    commonName,
    key,
    notBefore,
    notAfter,
    ...(o.sans ? { sans: o.sans } : {}),
    ...(o.isCA ? { isCA: true } : {}),
    ...(issuer ? { issuer: { certificatePem: issuer.pem, commonName: issuer.commonName, key: issuer.key } } : {}),
  });
  return { pem, commonName, key, notBefore, notAfter };
}

// Node names EC curves by OpenSSL's names; people and Envoy's lines by NIST's.
const NIST: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export const curveName = (curve: string | undefined): string | undefined => (curve ? (NIST[curve] ?? curve) : undefined);

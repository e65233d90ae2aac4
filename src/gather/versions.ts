// The versions `collect` records: kubectl (client), the cluster (server) and openssl.
import type { ExecContext } from '../exec/context.js';
import { kubectlClientVersion, kubectlDisplay, kubectlJson, type KubectlTarget } from '../exec/kubectl.js';
import { opensslVersion } from '../exec/openssl.js';

export interface ToolVersions {
  kubectl: string | null;
  cluster: string | null;
  openssl: string | null;
  commands: string[];
}

interface VersionJson {
  clientVersion?: { gitVersion?: unknown };
  serverVersion?: { gitVersion?: unknown };
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export async function toolVersions(exec: ExecContext, target: KubectlTarget): Promise<ToolVersions> {
  const args = ['version', '-o', 'json'];
  const [both, openssl] = await Promise.all([kubectlJson(exec, target, args), opensslVersion(exec)]);
  const json = both.json as VersionJson | undefined;
  // Without a reachable server, `kubectl version` fails as a whole: ask for the client alone.
  const kubectl = text(json?.clientVersion?.gitVersion) ?? (await kubectlClientVersion(exec));
  return {
    kubectl,
    cluster: text(json?.serverVersion?.gitVersion),
    openssl,
    commands: [kubectlDisplay(target, args), 'openssl version'],
  };
}

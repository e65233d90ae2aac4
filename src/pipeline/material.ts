// Certificate and key checks end to end: analyse the bytes (pure), run the openssl commands whose
// output is evidence (I/O), then the registry's checks (pure).
import { analyseMaterial, materialEvidence } from '../checks/analyse-material.js';
import type { CheckContext, RegistryEntry } from '../checks/check.js';
import type { Evidence } from '../checks/inputs.js';
import { mirrorsWanted } from '../checks/mirrors.js';
import { CHECK_CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import type { TlsMaterial } from '../evidence/material.js';
import type { ExecContext } from '../exec/context.js';
import { runMirrors } from '../gather/run-mirrors.js';
import type { Finding } from '../report/finding.js';

/** The material's evidence, with the openssl mirrors its problems call for already run. */
export async function gatherMaterial(exec: ExecContext, material: TlsMaterial): Promise<Evidence> {
  const analysis = analyseMaterial(material);
  const mirrors = await runMirrors(exec, material, mirrorsWanted(analysis, material.mtls));
  return materialEvidence(material, analysis, mirrors);
}

export async function checkMaterial(
  exec: ExecContext,
  material: TlsMaterial,
  ctx: CheckContext,
  registry: readonly RegistryEntry[] = CHECK_CHECKS,
): Promise<Finding[]> {
  return runChecks(registry, await gatherMaterial(exec, material), ctx);
}

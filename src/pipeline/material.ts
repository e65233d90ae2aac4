// Certificate and key checks end to end: analyse the bytes (pure), run the openssl commands whose
// output is evidence (I/O), build the findings (pure).
import { analyseMaterial } from '../checks/analyse-material.js';
import { materialFindings } from '../checks/material-findings.js';
import { mirrorsWanted } from '../checks/mirrors.js';
import type { CheckContext, PemSource, TlsMaterial } from '../checks/tls-material.js';
import type { ExecContext } from '../exec/context.js';
import { runMirrors } from '../gather/run-mirrors.js';
import type { Finding } from '../report/finding.js';

export async function checkMaterial(exec: ExecContext, material: TlsMaterial & { cert: PemSource }, ctx: CheckContext): Promise<Finding[]> {
  const analysis = analyseMaterial(material);
  const mirrors = await runMirrors(exec, material, mirrorsWanted(analysis, material.mtls));
  return materialFindings(material, analysis, mirrors, ctx);
}

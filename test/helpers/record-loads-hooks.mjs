// Module hooks of record-loads.mjs: note each module as the loader is asked for it.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.APIGEE_TLS_LOAD_LOG, `load ${url}\n`);
  return nextLoad(url, context);
}

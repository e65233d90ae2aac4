// `probe <host>[:port]` and `probe --from-curl-log FILE|-`: the symptom side of the playbook.
import { isIP } from 'node:net';
import { hostnameProblem, shownValue } from '../apigee/names.js';
import { IncompleteError, UsageError } from '../errors.js';
import { readInputFile, readStdin } from '../gather/local-files.js';
import { classifyCurlLog, probe, type ProbeRequest } from '../pipeline/probe.js';
import type { Args } from './commands.js';
import { checkKubeconfigFirst, checkName, kubectlTarget } from './cluster-request.js';
import { durationFlag, outputRequest, stringFlag } from './common.js';
import { emit } from './emit.js';
import { commandExec, runSignal, type CommandIO } from './io.js';

/** host, host:port, [v6]:port, or a bare IPv6 address. */
export function parseHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : isIP(text) === 6
      ? [text, undefined]
      : (text.split(/:(?=\d+$)/) as [string, string | undefined]);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`invalid port in ${shownValue(text)}`);
  const problem = hostnameProblem(host);
  if (problem || host.includes('*')) throw new UsageError(problem ?? `invalid host ${shownValue(host)}: no wildcards`);
  return { host, port };
}

async function fromCurlLog(args: Args, io: CommandIO, file: string): Promise<number> {
  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const signal = runSignal(io, output.timeoutMs);
  const bytes = file === '-' ? await readStdin(signal) : await readInputFile(file, 'curl transcript');
  if (bytes === null) {
    throw new IncompleteError(
      io.interrupt.aborted ? 'stopped: interrupted while reading stdin' : "stopped: the run's deadline passed (--timeout) while reading stdin",
    );
  }
  return emit(classifyCurlLog(bytes.toString('utf8'), file), output, io.stdout);
}

export async function runProbe(args: Args, io: CommandIO): Promise<number> {
  const curlLog = stringFlag(args, 'from-curl-log');
  const hostArg = stringFlag(args, 'target');
  if (curlLog && hostArg) throw new UsageError('give a host or --from-curl-log, not both');
  if (curlLog) return fromCurlLog(args, io, curlLog);
  if (!hostArg) throw new UsageError('which host? kubectl apigee-tls probe HOST[:PORT] (or --from-curl-log FILE)');

  const output = outputRequest(args, io.env, io.isTTY, io.columns);
  const { host, port } = parseHostPort(hostArg, 443);
  const connectTo = stringFlag(args, 'connect-to');
  const dial = connectTo ? parseHostPort(connectTo, port) : { host, port };
  if (Array.isArray(args.sni)) throw new UsageError(args.sni.includes(false) ? '--sni and --no-sni do not go together' : '--sni was given more than once');
  // yargs reads --no-sni as sni=false; a string is a name to send.
  const noSni = args['no-sni'] === true || args.sni === false;
  const sni = typeof args.sni === 'string' ? stringFlag(args, 'sni') : undefined;
  if (sni && noSni) throw new UsageError('--sni and --no-sni do not go together');
  if (sni && hostnameProblem(sni)) throw new UsageError(hostnameProblem(sni)!);
  const caFile = stringFlag(args, 'ca');
  const certFile = stringFlag(args, 'cert');
  const keyFile = stringFlag(args, 'key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--cert and --key go together: give both (the key unencrypted)');
  const handshakeTimeoutMs = durationFlag(args, 'handshake-timeout');
  if (handshakeTimeoutMs <= 0) throw new UsageError('--handshake-timeout must be more than zero');
  const envgroup = stringFlag(args, 'envgroup');
  const request: ProbeRequest = {
    host,
    port: dial.port,
    address: dial.host,
    // RFC 6066: an IP address is never sent as SNI.
    servername: noSni ? null : (sni ?? (isIP(host) ? null : host)),
    // The certificate must cover the name the client asks for (curl checks it with --no-sni too).
    judgedName: sni ?? (isIP(host) ? null : host),
    timeoutMs: output.timeoutMs,
    // Inside the run's deadline, with room left to report what happened.
    handshakeTimeoutMs: Math.min(handshakeTimeoutMs, Math.max(1, Math.floor(output.timeoutMs * 0.9))),
    now: io.now(),
    expiryWarningMs: durationFlag(args, 'expiry-warning'),
  };
  if (caFile) {
    request.ca = await readInputFile(caFile, 'CA file');
    request.caFile = caFile;
  }
  if (certFile && keyFile) {
    request.clientCertificate = {
      cert: await readInputFile(certFile, 'client certificate'),
      key: await readInputFile(keyFile, 'client key'),
      certFile,
      keyFile,
    };
  }
  if (envgroup) {
    const org = stringFlag(args, 'org');
    request.envgroup = {
      name: checkName('env group', envgroup),
      target: await checkKubeconfigFirst(kubectlTarget(args, io.env)),
      ...(org ? { org: checkName('org', org) } : {}),
    };
  }
  const exec = commandExec(io, output, stringFlag(args, 'kubectl'));
  return emit(await probe(exec, request), output, io.stdout);
}

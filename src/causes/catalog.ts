// The cause catalog: every cause id of the contract, what it means, how it is decided, the
// documented commands that show it by hand, the fix, and where Apigee documents it. The report's
// list of ids, each cause's status and `explain` all come from here. Which check reports a cause is
// not repeated here: each check declares its causes (checks/registry.ts), and `explain` joins them.
//
// Ids are forever (CONTRACT.md): a new cause gets a new entry, an old one is never renamed.

/** fail or warn; `by-severity` and `by-state` causes are either, as their `decided` text says. */
export type CauseStatus = 'fail' | 'warn' | 'by-severity' | 'by-state';

export interface CauseEntry {
  id: string;
  status: CauseStatus;
  /** One line, for lists. */
  title: string;
  /** How the product decides it, in a sentence or two. */
  decided: string;
  /** The documented commands a person runs to see it by hand (placeholders in angle brackets). */
  commands: readonly string[];
  /** The fix, in general; findings word it for the install they found. */
  fix: string;
  /** Apigee's (or the standard's) page about it, where one exists. */
  link?: string;
}

const PLAYBOOK = 'https://cloud.google.com/apigee/docs/api-platform/troubleshoot/playbooks/ingressgateway/api-calls-failing-tls-errors';
const APPLY =
  'then apply it the way the env group was installed (apigeectl apply … --settings virtualhosts, or helm upgrade of its apigee-virtualhost release)';
const SECRET_CERT = "kubectl -n <ns> get secret <secret> -o jsonpath='{.data.cert}' | base64 -d";

export const CAUSE_CATALOG = [
  {
    id: 'missing-ingress-secret',
    status: 'fail',
    title: "the env group's TLS secret is not in the namespace",
    decided:
      'The secret named by the ApigeeRouteConfig (spec.tls.secretNameRef), by virtualhosts[].sslSecret or by <org>-<envgroup> is not in the listing of the namespace; apigee-watcher lines `failed to get secret "<secret>"` are quoted as evidence. A namespace that does not exist is said as such, never as a missing secret.',
    commands: ["kubectl -n <ns> logs -l app=apigee-watcher --all-containers | grep 'failed to get secret'", 'kubectl -n <ns> get secrets | grep <secret>'],
    fix: `recreate the secret from the certificate and key of the virtual host; ${APPLY}`,
    link: PLAYBOOK,
  },
  {
    id: 'malformed-certificate',
    status: 'fail',
    title: 'the certificate is not a well-formed PEM X.509 chain',
    decided:
      'node:crypto and the PEM reader find the precise defect: empty, bad base64, bad or missing END line, no newline between blocks, DER, base64 twice, a private key in its place, text before or after the blocks. openssl x509 is run to show what the playbook would have seen (it skips some damage).',
    commands: [`${SECRET_CERT} | openssl x509 -text -noout`, `${SECRET_CERT} | openssl crl2pkcs7 -nocrl -certfile /dev/stdin`],
    fix: `repair or export again the PEM certificate chain, leaf first; ${APPLY}`,
    link: PLAYBOOK,
  },
  {
    id: 'key-mismatch',
    status: 'fail',
    title: 'the private key does not belong to the leaf certificate',
    decided:
      "The public key of the leaf certificate is compared with the private key's (any key type: RSA, EC, Ed25519). A key that belongs to a later certificate of the chain is a chain-order problem instead. The playbook's modulus comparison is shown beside it; it works for RSA only.",
    commands: [
      "diff -q <(kubectl -n <ns> get secret <secret> -o jsonpath='{.data.key}' | base64 -d | openssl rsa -noout -modulus) <(" +
        SECRET_CERT +
        ' | openssl x509 -noout -modulus)',
    ],
    fix: `supply the private key the certificate was issued for, or the certificate issued for this key; ${APPLY}`,
    link: PLAYBOOK,
  },
  {
    id: 'malformed-private-key',
    status: 'fail',
    title: 'the private key is unreadable',
    decided: 'The key is empty, damaged PEM, encrypted (the ingress cannot take a passphrase), an OpenSSH key, or a certificate where the key belongs.',
    commands: ["kubectl -n <ns> get secret <secret> -o jsonpath='{.data.key}' | base64 -d | openssl pkey -pubout -passin pass:"],
    fix: `store the unencrypted PEM private key of the certificate; ${APPLY}`,
  },
  {
    id: 'secret-missing-keys',
    status: 'fail',
    title: 'the secret holds neither cert+key nor tls.crt+tls.key',
    decided:
      'The secret exists, but the ingress reads only the pairs cert/key or tls.crt/tls.key and finds neither (istiod: "found secret, but didn\'t have expected keys").',
    commands: ['kubectl -n <ns> describe secret <secret>'],
    fix: `store the certificate chain and key under cert and key (or tls.crt and tls.key); ${APPLY}`,
  },
  {
    id: 'certificate-expired',
    status: 'fail',
    title: 'the leaf or a chain certificate is past its notAfter',
    decided: 'The notAfter of each certificate of the chain is compared with the clock of this machine.',
    commands: [`${SECRET_CERT} | openssl x509 -noout -dates -checkend 0`],
    fix: `renew the certificate and replace it; ${APPLY}`,
    link: 'https://cloud.google.com/apigee/docs/hybrid/troubleshooting/AIS_INGRESS_CERT_EXPIREY',
  },
  {
    id: 'certificate-not-yet-valid',
    status: 'fail',
    title: "a certificate's notBefore is in the future",
    decided: 'The notBefore of each certificate of the chain is compared with the clock of this machine.',
    commands: [`${SECRET_CERT} | openssl x509 -noout -dates`],
    fix: 'wait for its notBefore, or reissue it (check the clocks of the issuer and the cluster)',
  },
  {
    id: 'certificate-expiring-soon',
    status: 'warn',
    title: 'the certificate expires within --expiry-warning (14 days by default)',
    decided: "The leaf's notAfter falls within --expiry-warning of now, the window of Apigee's own AIS_INGRESS_CERT_EXPIREY alert.",
    commands: [`${SECRET_CERT} | openssl x509 -noout -enddate -checkend 1209600`],
    fix: `renew the certificate before it expires; ${APPLY}`,
    link: 'https://cloud.google.com/apigee/docs/hybrid/troubleshooting/AIS_INGRESS_CERT_EXPIREY',
  },
  {
    id: 'hostname-not-covered',
    status: 'fail',
    title: "a hostname of the env group is not covered by the leaf's SANs",
    decided:
      "Every hostname of the env group's ApigeeRoutes (and each --host) is matched against the leaf's subjectAltName entries (wildcards one label deep, as TLS clients match them).",
    commands: [`${SECRET_CERT} | openssl x509 -noout -ext subjectAltName`, 'kubectl -n <ns> get apigeeroutes -o yaml'],
    fix: `reissue the certificate with a subjectAltName for every hostname of the env group; ${APPLY}`,
  },
  {
    id: 'chain-order',
    status: 'fail',
    title: 'the leaf is not first, or a certificate is not signed by the next one',
    decided: 'Each certificate must be issued by the one after it; the ingress and openssl read the first block as the certificate.',
    commands: [`${SECRET_CERT} | openssl crl2pkcs7 -nocrl -certfile /dev/stdin | openssl pkcs7 -print_certs -noout`],
    fix: `order the PEM file leaf first, then each issuer in turn; ${APPLY}`,
  },
  {
    id: 'chain-incomplete',
    status: 'warn',
    title: 'the chain stops short of a trust anchor',
    decided:
      "Its last certificate is neither self-signed nor issued by a known root (Node's bundled roots, --ca, or the secret's CA). Clients that do not hold the missing intermediate fail to verify it.",
    commands: [`${SECRET_CERT} | openssl crl2pkcs7 -nocrl -certfile /dev/stdin | openssl pkcs7 -print_certs -noout`],
    fix: `append the intermediate certificates after the leaf; ${APPLY}`,
  },
  {
    id: 'weak-certificate',
    status: 'warn',
    title: 'SHA-1 or MD5 signature, or an RSA key under 2048 bits',
    decided: 'The signature algorithm and the key size of each certificate are read from the certificate; modern clients refuse these.',
    commands: [`${SECRET_CERT} | openssl x509 -noout -text | grep -E 'Signature Algorithm|Public-Key'`],
    fix: `reissue the certificate with SHA-256 (or better) and an RSA 2048-bit or EC P-256 key; ${APPLY}`,
  },
  {
    id: 'mtls-ca-invalid',
    status: 'fail',
    title: 'mutual TLS is configured and its CA certificate is missing, malformed or expired',
    decided: "With the route config's spec.tls.mode MUTUAL, the CA (cacert or ca.crt of the secret) must be a valid, unexpired PEM certificate.",
    commands: ["kubectl -n <ns> get secret <secret> -o jsonpath='{.data.cacert}' | base64 -d | openssl x509 -text -noout"],
    fix: `store the CA bundle that issues your client certificates (caCertPath); ${APPLY}`,
    link: 'https://cloud.google.com/apigee/docs/api-platform/troubleshoot/playbooks/ca-cert-invalid',
  },
  {
    id: 'apigee-issue-reported',
    status: 'by-severity',
    title: 'an ApigeeIssue concerns this env group (fail for severity ERROR, warn otherwise)',
    decided: "ApigeeIssues of the namespace whose details name the env group's route config or secret; their reason and details are quoted.",
    commands: ['kubectl -n <ns> get apigeeissues', 'kubectl -n <ns> describe apigeeissue <name>'],
    fix: "follow Apigee's playbook for the issue's reason (AIS_…), then apply the fix the way the env group was installed",
    link: 'https://cloud.google.com/apigee/docs/hybrid/troubleshooting/AIS_INGRESS_CERT_EXPIREY',
  },
  {
    id: 'route-config-error',
    status: 'fail',
    title: "the env group's ApigeeRouteConfig reports errors in its status",
    decided: "The route config's status.errors are what the Apigee controller could not apply; they are quoted.",
    commands: ["kubectl -n <ns> get apigeerouteconfig <org>-<envgroup> -o jsonpath='{.status}'"],
    fix: 'fix what the errors name, then apply the virtual host again',
  },
  {
    id: 'handshake-reset',
    status: 'fail',
    title: 'probe: the server reset the connection during the handshake',
    decided: 'The TCP connection was reset after the ClientHello (curl: "Connection reset by peer"): the ingress has no certificate for the name asked.',
    commands: ['curl -v https://<host>/', 'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
    fix: 'run kubectl apigee-tls diagnose <envgroup> for the env group that serves the name (missing secret, malformed certificate, key mismatch)',
    link: PLAYBOOK,
  },
  {
    id: 'handshake-alert',
    status: 'fail',
    title: 'probe: the server sent a TLS alert',
    decided: 'The handshake ended with an alert from the server (curl: "sslv3 alert handshake failure"); its name and number are quoted.',
    commands: ['curl -v https://<host>/', 'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
    fix: 'run kubectl apigee-tls diagnose <envgroup> (certificate, key-match, mtls-ca)',
    link: PLAYBOOK,
  },
  {
    id: 'handshake-closed',
    status: 'fail',
    title: 'probe: the server closed the connection without an alert',
    decided: 'The connection closed during the handshake without an alert (curl: "SSL_ERROR_SYSCALL").',
    commands: ['curl -v https://<host>/', 'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
    fix: 'run kubectl apigee-tls diagnose <envgroup> for the env group that serves the name',
    link: PLAYBOOK,
  },
  {
    id: 'served-certificate-differs',
    status: 'fail',
    title: 'probe: the gateway serves a certificate other than the one in the secret',
    decided: "probe --envgroup compares the SHA-256 fingerprint of the served leaf with the secret's leaf.",
    commands: ['openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256'],
    fix: 'the ingress has not picked up the secret: check the route config and the ingress gateway logs, then restart the ingress gateway pods',
  },
  {
    id: 'route-secret-missing',
    status: 'fail',
    title: 'a route serving the env group besides its own names a credential secret that does not exist',
    decided:
      "An ApigeeRoute named in the route config's additionalGateways (e.g. the wildcard route for non-SNI clients) names a ports[].tls.credentialName secret that is not in the namespace.",
    commands: ['kubectl -n <ns> get apigeeroute <route> -o yaml', 'kubectl -n <ns> get secrets'],
    fix: "create the secret the route's credentialName names, or point the route at an existing one",
    link: 'https://cloud.google.com/apigee/docs/hybrid/latest/enable-non-sni',
  },
  {
    id: 'no-ingress-gateway',
    status: 'fail',
    title: "no running ingress gateway pod matches the env group's selector",
    decided:
      "The route config's spec.selector (e.g. app: apigee-ingressgateway, ingress_name: …) is matched against the running gateway pods: none serves its hostnames.",
    commands: [
      'kubectl -n <ns> get pods -l app=apigee-ingressgateway --show-labels',
      "kubectl -n <ns> get apigeerouteconfig <org>-<envgroup> -o jsonpath='{.spec.selector}'",
    ],
    fix: 'name an ingress that exists (ingressGateways[] of the overrides) in the virtual host, or install the missing ingress gateway',
  },
  {
    id: 'ingress-rejected-secret',
    status: 'by-state',
    title: "the ingress manager or a gateway logged that it cannot load the env group's secret",
    decided:
      "istiod's lines name the secret (fail); an Envoy line, which names none, counts when it comes from a gateway serving the env group and states a defect this secret has (fail), else it is a warning. Only lines newer than the secret's last write count.",
    commands: [
      'kubectl -n <ns> logs -l app=apigee-ingressgateway-manager -c discovery | grep <secret>',
      'kubectl -n <ns> logs -l app=apigee-ingressgateway --all-containers | grep rejected',
    ],
    fix: 'fix what the line names in the secret, then apply it; the gateway reloads it by itself',
  },
  {
    id: 'watcher-update-failed',
    status: 'fail',
    title: "apigee-watcher cannot update the env group's ApigeeRoutes",
    decided:
      "apigee-watcher logged, after the secret's last write, that it cannot update the env group's routes (e.g. the admission webhook's certificate expired): a corrected secret does not reach the gateway.",
    commands: ["kubectl -n <ns> logs -l app=apigee-watcher --all-containers | grep 'failed to update ApigeeRoute'"],
    fix: 'fix what the error names (e.g. renew the serving certificate of the Apigee admission webhook), then let the watcher update the routes',
    link: 'https://cloud.google.com/apigee/docs/api-platform/troubleshoot/playbooks/deployment/apigee-serving-cert-not-found-or-expired',
  },
  {
    id: 'certificate-not-issued',
    status: 'by-state',
    title: 'cert-manager manages the secret and its Certificate is not Ready',
    decided:
      'Fail when the secret is missing or unusable, warn while the current certificate still serves; the Ready condition, the latest CertificateRequest and the events are evidence.',
    commands: ['cmctl status certificate <name> -n <ns>', 'kubectl -n <ns> describe certificate <name>'],
    fix: 'fix what the Certificate reports (e.g. create the issuer it names), then cmctl renew <name> -n <ns>',
  },
  {
    id: 'connect-failed',
    status: 'fail',
    title: 'probe: no TCP connection (refused, unreachable, timed out, name not resolved)',
    decided: "The TCP connection could not be made: curl's exits 6 and 7, and 28 before a connection was made.",
    commands: ['curl -v https://<host>/'],
    fix: 'check the address and port of the ingress: its Service (kubectl -n <ns> get svc -l app=apigee-ingressgateway) or load balancer, the DNS name of the env group host, and the firewalls on the way',
  },
  {
    id: 'handshake-timeout',
    status: 'fail',
    title: 'probe: the server accepted the connection but did not finish the handshake in time',
    decided: 'The connection was made, the handshake did not finish within --handshake-timeout (curl\'s 28 after "Connected to").',
    commands: ['curl -v --max-time 10 https://<host>/'],
    fix: 'check that the port leads to the ingress gateway (not a proxy or a firewall that holds connections) and that its pods are ready (kubectl -n <ns> get pods -l app=apigee-ingressgateway)',
  },
  {
    id: 'not-tls',
    status: 'fail',
    title: 'probe: the server answered with something other than TLS',
    decided: 'The first bytes back are not a TLS record (curl\'s "wrong version number"): a plain-HTTP port.',
    commands: ['curl -v https://<host>/'],
    fix: "call the TLS port of the ingress: its Service maps port 443 to the gateway's 8443 (kubectl -n <ns> get svc -l app=apigee-ingressgateway -o wide); a port that answers plain HTTP (80, 15021) is not it",
  },
  {
    id: 'tls-version-refused',
    status: 'fail',
    title: 'probe: the server refused the protocol version offered',
    decided: 'The server answered the versions offered (TLS 1.2 to 1.3, as curl) with the protocol_version alert, or chose one the client will not speak.',
    commands: ['curl -v --tlsv1.2 https://<host>/', "kubectl -n <ns> get apigeerouteconfig <org>-<envgroup> -o jsonpath='{.spec.tls}'"],
    fix: "the ApigeeRouteConfig's spec.tls.minProtocolVersion/maxProtocolVersion (set from virtualhosts[].minTLSProtocolVersion/maxTLSProtocolVersion in overrides.yaml) exclude the client's versions: widen them, or call with a version inside them (curl --tlsv1.2/--tlsv1.3)",
  },
  {
    id: 'client-certificate-required',
    status: 'fail',
    title: 'probe: the server asks for a client certificate (mutual TLS) and none was given, or it refused the one given',
    decided: 'The server sent a CertificateRequest and the handshake then failed, or it answered certificate_required, bad_certificate or unknown_ca.',
    commands: ['curl -v --cert client.crt --key client.key https://<host>/', 'kubectl apigee-tls probe <host> --cert client.crt --key client.key'],
    fix: "the env group's virtualhosts[] entry sets tlsMode: MUTUAL, with caCertPath (the CA in the secret's cacert/ca.crt) naming the CAs it accepts: call it with a client certificate that CA issued (curl --cert client.crt --key client.key), or set tlsMode: SIMPLE if mutual TLS is not wanted",
  },
  {
    id: 'served-chain-untrusted',
    status: 'fail',
    title: 'probe: the served chain does not verify against the trust anchors in force',
    decided: "The chain the server sent does not verify to --ca, else the system's roots (curl's exit 60).",
    commands: ['openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null'],
    fix: "put the intermediate certificates in the secret's chain, after the leaf (the issuer's full chain, e.g. fullchain.pem), then apply it the way the env group was installed; a private root belongs in the clients' trust store (curl --cacert)",
  },
] as const satisfies readonly CauseEntry[];

export type CauseId = (typeof CAUSE_CATALOG)[number]['id'];

/** Every cause id, in catalog order. */
export const CAUSE_IDS: readonly CauseId[] = CAUSE_CATALOG.map((c) => c.id);

const BY_ID: ReadonlyMap<string, CauseEntry> = new Map(CAUSE_CATALOG.map((c) => [c.id, c]));

export const causeEntry = (id: CauseId): CauseEntry => BY_ID.get(id)!;

export const isCauseId = (id: string): id is CauseId => BY_ID.has(id);

/** May a finding with this cause carry this status? */
export function statusAllowed(id: CauseId, status: string): boolean {
  const rule = causeEntry(id).status;
  return rule === 'fail' || rule === 'warn' ? status === rule : status === 'fail' || status === 'warn';
}

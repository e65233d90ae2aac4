// --listen ADDR: `:9464` (every address), `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`;
// port 0 picks a free one (the address served is logged).

export interface ListenAddress {
  /** undefined: every address, as Node listens by default. */
  host?: string;
  port: number;
}

/** null when the text is not HOST:PORT or :PORT. */
export function parseListen(text: string): ListenAddress | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  const host = m[1] ?? m[2];
  return host ? { host, port } : { port };
}

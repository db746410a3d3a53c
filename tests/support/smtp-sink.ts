// A real SMTP server (npm smtp-server) on 127.0.0.1 that accepts every mail and keeps it, for tests that
// follow the desk's mail out.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  /** Raw mails in the order they came, with their envelope recipients. */
  received: { to: string[]; raw: Buffer }[];
  close(): Promise<void>;
}

/** With `password`, only desk/<password> logs in (the URL carries it); without, any login does. */
export async function startSmtpSink(options: { password?: string } = {}): Promise<SmtpSink> {
  const password = options.password ?? 'desk-password';
  const received: SmtpSink['received'] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    closeTimeout: 200,
    onAuth: (auth, _session, callback) =>
      options.password === undefined || (auth.username === 'desk' && auth.password === options.password)
        ? callback(null, { user: 'desk' })
        : callback(new Error('Invalid username or password')),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://desk:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

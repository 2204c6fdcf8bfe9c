/** fauxqs (a real S3 server) in a process of its own, so a benchmark's own process is only the client. */

/** A running fauxqs process. */
export interface FauxqsProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts fauxqs on 127.0.0.1 in a child Deno process and returns its endpoint. */
export async function startFauxqsProcess(): Promise<FauxqsProcess> {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    script,
    `import { startFauxqs } from "fauxqs";\nconst s = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });\nconsole.log(s.port);\n`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", new URL("../deno.dev.json", import.meta.url).pathname, script],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const port = Number((await reader.read()).value?.trim());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill();
      await child.status;
      reader.releaseLock();
      await Deno.remove(script);
    },
  };
}

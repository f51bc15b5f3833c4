// How our TypeScript is bundled to run under Node, in one place: the bot and the `cert` command
// line (tools/build.mjs) and the crash tests' worker processes (test/support/compiled-workers.ts).
// Our code is bundled; packages stay in node_modules and load from there, unless the caller
// says otherwise (the bot's build bundles them too, for start-up time).

/** esbuild's build() with the options both share; the caller names entries, output and extras. */
export async function bundleForNode(options) {
  const { build } = await import('esbuild');
  return build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // dynamic imports become chunks of their own, and a package imported only by them
    // loads only when they do
    splitting: true,
    logLevel: 'warning',
    ...options,
  });
}

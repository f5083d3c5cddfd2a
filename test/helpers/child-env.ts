/**
 * The environment for a spawned server, CLI or migrate process. Those run through tsx, whose
 * whitespace-minified output would blur tap's coverage map, so they record no coverage: the
 * report speaks of the in-process tests only.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', ...extra };
}

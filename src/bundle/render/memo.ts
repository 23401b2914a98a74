/**
 * What one plan renders alike for every member and client, done once: the cluster-wide values
 * (ETCD_INITIAL_CLUSTER, ETCDCTL_ENDPOINTS: 40 KB each at 1,000 members) checked, quoted and
 * joined once and shared by every file. Made by the plan for its own run and dropped with it;
 * a renderer called without one does the work each time.
 */
export interface RenderMemo {
  /** Long values already checked for characters that need escaping. */
  readonly clean: Set<string>;
  /** Long values -> their single-quoted YAML scalar. */
  readonly quoted: Map<string, string>;
  /** Endpoint lists -> joined with commas. */
  readonly joined: WeakMap<readonly string[], string>;
}

/** Values shorter than this are cheaper to redo than to look up. */
export const MEMO_MIN_LENGTH = 256;

export function createRenderMemo(): RenderMemo {
  return { clean: new Set(), quoted: new Map(), joined: new WeakMap() };
}

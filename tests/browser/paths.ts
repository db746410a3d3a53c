// Where the browser tests put what they draw.

/**
 * README's screenshots are rewritten only on request (`UPDATE_SCREENSHOTS=1 npm test`), so a test run
 * leaves the tree clean; otherwise they go with the other artifacts.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-artifacts/screenshots';

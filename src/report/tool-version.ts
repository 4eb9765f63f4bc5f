/** Read once from package.json so the report names the exact tool version. */
export const TOOL_VERSION: string = (require('../../package.json') as { version: string }).version;

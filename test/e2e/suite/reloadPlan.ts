// The plan that reload.test.ts runs before the window reloads and afterReload.test.ts reads after it.
export const RELOAD_PLAN = 'docs/reload-plan.md';
export const RELOAD_TITLE = 'Plan: Results that outlive the window';
export const RELOAD_COMMAND = `node -e "console.log('kept across a reload')"`;

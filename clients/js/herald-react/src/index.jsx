export { useHeraldInbox } from './use-herald-inbox.js';
export { useHeraldPreferences } from './use-herald-preferences.js';
export { HeraldInbox } from './herald-inbox.jsx';

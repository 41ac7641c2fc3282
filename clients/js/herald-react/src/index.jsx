export { useHeraldInbox } from './use-herald-inbox.js';
export { HeraldInbox } from './herald-inbox.jsx';

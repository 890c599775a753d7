/** Transaction origin of edits made through the case API on this device. */
export const LOCAL_EDIT = Symbol('runder-tisch/local-edit');

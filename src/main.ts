import { mount } from 'svelte';
import App from './ui/App.svelte';
import { prepareAppDb } from './storage/db.ts';
import './ui/app.css';

// The database is chosen before anything reads it: the device's, or memory in a private window.
void prepareAppDb().then(() => mount(App, { target: document.getElementById('app')! }));

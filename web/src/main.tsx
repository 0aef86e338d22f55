import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ready } from './i18n';
import './styles.css';
import { App } from './app';

const root = createRoot(document.getElementById('root')!);
// The first paint waits for the one language file this visitor needs (a few KB, fetched in parallel with nothing else to wait for).
void ready.finally(() =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);

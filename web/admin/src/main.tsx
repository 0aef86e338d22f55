import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import '../../src/styles.css';
import './admin.css';
import { App } from './app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

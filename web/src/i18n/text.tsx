import { Trans } from 'react-i18next';

/** The tags a text may carry: ruby readings (やさしい日本語), nothing else, so no markup from a file can inject. */
const COMPONENTS = { ruby: <ruby />, rt: <rt /> };

/**
 * A text rendered with its ruby readings: <Text k="start.title" />. Use it for the words a
 * resident reads on the page (headings, paragraphs); attributes and the tab title use t(),
 * which keeps only the base text.
 */
export function Text({ k, values }: { k: string; values?: Record<string, unknown> }) {
  return <Trans i18nKey={k} values={values} components={COMPONENTS} tOptions={{ applyPostProcessor: false }} shouldUnescape />;
}

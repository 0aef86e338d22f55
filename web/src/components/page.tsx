import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

/**
 * One page of the flow: its heading, the browser tab's title (with "Error:" first when the form
 * has errors, so screen-reader users hear it at once) and focus on the heading when it opens.
 */
export function Page({
  title,
  heading: shown,
  caption,
  hasErrors = false,
  children,
}: {
  title: string;
  /** The heading as shown, when it carries ruby readings (<Text>); `title` is its plain text for the tab. */
  heading?: ReactNode;
  caption?: string;
  hasErrors?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${hasErrors ? `${t('errors.titlePrefix')} ` : ''}${title} | ${t('site.name')}`;
  }, [title, hasErrors, t]);

  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, [title]);

  return (
    <>
      {caption && <p className="caption">{caption}</p>}
      <h1 ref={heading} tabIndex={-1}>
        {shown ?? title}
      </h1>
      {children}
    </>
  );
}

export function BackLink({ href, label }: { href: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="back">
      <Link href={href} className="back-link">
        {label ?? t('common.back')}
      </Link>
    </p>
  );
}

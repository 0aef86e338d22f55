import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

/**
 * One page: its heading (focused when the page opens, so a screen reader starts there) and the
 * tab's title, with "Error:" first while its form shows errors.
 */
export function Page({
  title,
  caption,
  hasErrors = false,
  children,
}: {
  title: string;
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
        {title}
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

// Pages load when first opened (route-level code splitting): the sign-in page carries only
// what it needs, and each console page is a chunk of its own (docs/benchmarks.md, the
// `web` benchmark). `page` makes a lazy component of a module's named export; a page
// renders once its code and the console's catalogue (i18n/index.ts) have loaded.
import { lazy, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Center, Loader } from '@mantine/core';
import { loadCatalogue, type CatalogueLoaders } from './i18n/index.ts';

/** The console's words (i18n/index.ts): loaded with its first page. */
const consoleWords: CatalogueLoaders = {
  en: () => import('./i18n/en.json').then((m) => m.default),
  es: () => import('./i18n/es.json').then((m) => m.default),
};

export const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => {
    const [module] = await Promise.all([load(), loadCatalogue('console', consoleWords)]);
    return { default: module[name] };
  });

/** What shows while a page's code loads. */
export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

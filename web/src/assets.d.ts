// esbuild bundles CSS imported from the entry point into its own file.
declare module '*.css';

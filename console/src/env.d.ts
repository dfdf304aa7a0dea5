// Styles are bundled by Vite; TypeScript only needs to know such imports exist.
declare module "*.css";

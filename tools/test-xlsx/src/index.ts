export {
  type LibreOfficeSheet,
  libreOffice,
  readWithLibreOffice,
} from './read-with-libreoffice.js';
export {
  debianPython,
  type ReadCell,
  type ReadSheet,
  type ReadWorkbook,
  readXlsx,
  values,
} from './read-xlsx.js';
export { xlsxParts } from './xlsx-parts.js';

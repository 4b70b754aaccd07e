import { create } from '../../connectors/google-csv/index.js';
import { runCsvConnectorTests } from './csv-cases.js';

runCsvConnectorTests({
  type: 'google-csv', create, header: 'First Name,Last Name,E-mail 1 - Value',
  fixtures: [
    { file: 'csv/google.csv', contacts: 7 },
    { file: 'csv/google-legacy.csv', contacts: 3 },
    { file: 'csv/broken-google.csv', contacts: 4, problemLines: [3, 5] },
  ],
});

import { create } from '../../connectors/outlook-csv/index.js';
import { runCsvConnectorTests } from './csv-cases.js';

runCsvConnectorTests({
  type: 'outlook-csv', create, header: 'First Name,Last Name,E-mail Address',
  fixtures: [
    { file: 'csv/outlook.csv', contacts: 4 },
    { file: 'csv/outlook-ansi.csv', contacts: 2 },
  ],
});

import { create } from '../../connectors/google-csv/index.js';
import { runCsvConnectorTests } from './csv-cases.js';

runCsvConnectorTests({ type: 'google-csv', create, header: 'First Name,Last Name,E-mail 1 - Value' });

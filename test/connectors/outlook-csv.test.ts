import { create } from '../../connectors/outlook-csv/index.js';
import { runCsvConnectorTests } from './csv-cases.js';

runCsvConnectorTests({ type: 'outlook-csv', create, header: 'First Name,Last Name,E-mail Address' });

export { createExpositionParser, parseExposition, detectExpositionFormat } from './parser.js';
export type { ExpositionParser, ExpositionHandlers, ParsedExposition } from './parser.js';
export { ExpositionParseError } from './errors.js';
export type {
  ExpositionFormat,
  MetricType,
  Exemplar,
  ParsedSample,
  MetricMetadata,
  ExpositionLimits,
  ExpositionParserOptions,
} from './types.js';

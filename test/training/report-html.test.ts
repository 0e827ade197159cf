import { describe, expect, it } from 'vitest';
import { evaluatePredictions, type ModelManifest, type Prediction } from '../../src/nlu/index.js';
import { escapeHtml, reportHtml } from '../../src/training/report-html.js';

const manifest: ModelManifest = {
  formatVersion: 1, version: 'intent-test-<v>', task: 'intent', labels: ['a', 'b<script>'], featurizers: [], classifier: {},
  temperature: 1, fallbackThreshold: 0.3, ambiguityMargin: 0.1, dataHash: 'x', trainingExamples: 2, metrics: {},
  curve: [{ epoch: 1, loss: 1.2, validationAccuracy: 0.5 }, { epoch: 2, loss: 0.6, validationAccuracy: 0.8 }],
  createdAt: '2026-11-28T12:00:00.000Z',
};
const prediction = (label: string, confidence: number): Prediction => ({
  label, top: label, confidence, ranking: [{ label, confidence }], margin: confidence, fallback: false, ambiguous: false,
});

describe('reportHtml', () => {
  const evaluation = evaluatePredictions(
    [{ text: 'fine', label: 'a' }, { text: '<img src=x onerror=alert(1)> & more', label: 'a' }],
    [prediction('a', 0.9), prediction('b<script>', 0.6)],
  );
  const html = reportHtml(manifest, evaluation, 'data/"x".jsonl');

  it('escapes every text from data and model', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(html).toContain('b&lt;script&gt;');
    expect(html).toContain('data/&quot;x&quot;.jsonl');
  });

  it('has the confusion matrix, the reliability plot, the training curve and the misclassified example', () => {
    expect(html).toContain('<table class="cm">');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('aria-label="reliability diagram"');
    expect(html).toMatch(/<polyline[^>]+points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"/);
    expect(html).toContain('Misclassified (1)');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

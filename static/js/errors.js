// Errors from the API ({path, node, message}) and from control messages, shown in one box under the
// controls; each error also marks the control it is about (red underline, aria-invalid, its message
// as the tooltip), and its name in the box focuses that control.
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

// Where each error path points to on the page: [pattern, element id, label key].
const PATH_CONTROLS = [
  [/^(training\.)?learning_rate/, 'lr-input', 'controls.learning_rate'],
  [/^(training\.)?batch_size/, 'batch-input', 'controls.batch_size'],
  [/^training\.epochs/, 'epochs-input', 'controls.epochs'],
  [/^(training\.regularization\.rate|regularization_rate)/, 'reg-rate-input', 'controls.reg_rate'],
  [/^training\.regularization/, 'reg-select', 'controls.regularization'],
  [/^training\.optimizer/, 'optimizer-select', 'controls.optimizer'],
  [/^training\.momentum/, 'momentum-input', 'controls.momentum'],
  [/^training\.seed/, 'seed-input', 'controls.seed'],
  [/^training/, 'controls', 'controls.label'],
  [/^dataset\.name/, 'dataset-tiles', 'data.heading'],
  [/^dataset\.samples/, 'samples-input', 'data.samples'],
  [/^dataset\.noise/, 'noise-input', 'data.noise'],
  [/^dataset\.train_fraction/, 'ratio-input', 'data.ratio'],
  [/^dataset\.classes/, 'classes-input', 'data.classes'],
  [/^dataset\.features/, 'network', 'network.features'],
  [/^dataset\.extra_points/, 'data-plot', 'output.added_points'],
  [/^dataset/, 'dataset-tiles', 'data.heading'],
  [/^(network|node|row|col|value)/, 'network', 'network.heading'],
];

function controlFor(path) {
  for (const [pattern, id, label] of PATH_CONTROLS) if (pattern.test(path || '')) return { id, label };
  return null;
}

export function clearErrors() {
  $('errors').hidden = true;
  $('errors-list').replaceChildren();
  for (const el of document.querySelectorAll('.invalid')) {
    el.classList.remove('invalid');
    el.removeAttribute('aria-invalid');
    if (el.dataset.errorTitle) {
      el.removeAttribute('title');
      delete el.dataset.errorTitle;
    }
  }
}

export function showErrors(errors, titleKey = 'errors.title') {
  clearErrors();
  const list = $('errors-list');
  for (const error of errors) {
    const li = document.createElement('li');
    const target = controlFor(error.path);
    if (target) {
      const control = $(target.id);
      if (control) {
        control.classList.add('invalid');
        control.setAttribute('aria-invalid', 'true');
        if (!control.getAttribute('title')) {
          control.setAttribute('title', error.message);
          control.dataset.errorTitle = '1';
        }
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-btn error-target';
      button.textContent = t(target.label);
      button.addEventListener('click', () => control && control.focus && control.focus());
      li.append(button, document.createTextNode(': '));
    }
    if (error.node) {
      for (const el of document.querySelectorAll(`.neuron[data-node="${CSS.escape(error.node)}"]`)) el.classList.add('invalid');
    }
    const message = document.createElement('span');
    message.className = 'error-message';
    message.textContent = error.message;
    li.append(message);
    if (error.path) {
      const code = document.createElement('code');
      code.textContent = error.path;
      li.append(' ', code);
    }
    list.append(li);
  }
  $('errors-title').dataset.i18n = titleKey;
  $('errors-title').textContent = t(titleKey);
  $('errors').hidden = errors.length === 0;
}

// A note that is not an error (a link with settings the page did not understand, ...).
export function notice(text) {
  const box = $('notice');
  box.textContent = text || '';
  box.hidden = !text;
}

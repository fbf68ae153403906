// The palette: every block of the catalogue, grouped and searchable (by name in either language, type
// or help text). A block is dragged onto the canvas, or added with Enter / a click (keyboard users).
import { blockHelp, blockName, groupName } from './catalogue.js';

export const DRAG_TYPE = 'application/x-neural-playground-block';

export class Palette {
  constructor(root, search, catalogue, { add }) {
    this.root = root;
    this.search = search;
    this.catalogue = catalogue;
    this.add = add;
    search.addEventListener('input', () => this.filter());
    this.render();
  }

  render() {
    this.root.replaceChildren();
    for (const [group, blocks] of this.catalogue.grouped()) {
      const section = document.createElement('section');
      section.className = 'ed-group';
      section.dataset.group = group;
      const title = document.createElement('h2');
      title.textContent = groupName(group);
      title.id = `palette-group-${group}`;
      const list = document.createElement('ul');
      list.setAttribute('aria-labelledby', title.id);
      for (const block of blocks) list.append(this.item(block));
      section.append(title, list);
      this.root.append(section);
    }
    this.filter();
  }

  item(block) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ed-block';
    button.draggable = true;
    button.dataset.type = block.type;
    button.setAttribute('data-testid', `palette-${block.type}`);
    const name = document.createElement('span');
    name.className = 'ed-block-name';
    name.textContent = blockName(block.type);
    const code = document.createElement('code');
    code.textContent = block.type;
    button.append(name, code);
    button.title = blockHelp(block);
    button.addEventListener('dragstart', (event) => {
      event.dataTransfer.setData(DRAG_TYPE, block.type);
      event.dataTransfer.setData('text/plain', block.type);
      event.dataTransfer.effectAllowed = 'copy';
    });
    button.addEventListener('click', () => this.add(block.type, null));
    li.append(button);
    return li;
  }

  filter() {
    const words = this.search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    for (const section of this.root.querySelectorAll('.ed-group')) {
      let shown = 0;
      for (const button of section.querySelectorAll('.ed-block')) {
        const block = this.catalogue.get(button.dataset.type);
        const haystack = [block.type, blockName(block.type), blockHelp(block), block.help.en].join(' ').toLowerCase();
        const match = words.every((w) => haystack.includes(w));
        button.parentElement.hidden = !match;
        shown += match ? 1 : 0;
      }
      section.hidden = shown === 0;
    }
  }
}

// The classes page: join with a code; a teacher creates classrooms and sees the ones they teach.
import { $, el, getJSON, postJSON, showError, startPage, t } from './common.js';

function classroomItem(c, teaching) {
  const assignments = c.assignments.map((a) => el('li', {}, el('a', { href: `/assignments/${a.id}/` }, a.title)));
  return el('li', { dataset: { testid: 'classroom' } },
    el('a', { href: `/classroom/${c.id}/`, class: 'cr-strong' }, c.name),
    teaching ? el('span', { class: 'cr-muted' }, ` · ${t('classroom.join_code')} `, el('code', {}, c.join_code),
      ` · ${t('classroom.n_students', { n: c.students.length })}`) : el('span', { class: 'cr-muted' }, ` · ${c.teacher}`),
    assignments.length ? el('ul', { class: 'cr-sublist' }, assignments) : null);
}

async function render() {
  const data = await getJSON('/api/classrooms');
  const teaching = $('teaching');
  if (teaching) teaching.replaceChildren(...data.teaching.map((c) => classroomItem(c, true)));
  $('joined').replaceChildren(...data.joined.map((c) => classroomItem(c, false)));
  $('joined-empty').hidden = data.joined.length > 0;
}

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const classroom = await postJSON('/api/classrooms/join', { code: $('join-code').value });
    location.href = `/classroom/${classroom.id}/`;
  } catch (err) {
    showError($('join-error'), err);
  }
});

const createForm = $('create-form');
if (createForm) {
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const classroom = await postJSON('/api/classrooms', { name: $('create-name').value });
      location.href = `/classroom/${classroom.id}/`;
    } catch (err) {
      showError($('create-error'), err);
    }
  });
}

startPage(render);

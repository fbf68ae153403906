"""The lookups that enforce who sees what in the classroom: a teacher reaches the classrooms (and
assignments) they teach, a student the ones they joined, an admin all; anything else is a 404."""
from playground.jsonapi import error

from .models import Assignment, Classroom


def taught_classroom(user, classroom_id):
    """The classroom if `user` teaches it (or is an admin), else None: other teachers get a 404."""
    qs = Classroom.objects.all() if user.is_staff else Classroom.objects.filter(teacher=user)
    return qs.filter(id=classroom_id).first()


def joined_classroom(user, classroom_id):
    """The classroom if `user` is in it as a student, its teacher, or an admin."""
    classroom = taught_classroom(user, classroom_id)
    if classroom is None:
        classroom = Classroom.objects.filter(id=classroom_id, memberships__student=user).first()
    return classroom


def taught_assignment(user, assignment_id):
    qs = Assignment.objects.select_related("classroom")
    qs = qs if user.is_staff else qs.filter(classroom__teacher=user)
    return qs.filter(id=assignment_id).first()


def joined_assignment(user, assignment_id):
    assignment = taught_assignment(user, assignment_id)
    if assignment is None:
        assignment = (Assignment.objects.select_related("classroom")
                      .filter(id=assignment_id, classroom__memberships__student=user).first())
    return assignment


def not_found(what, ident):
    return error(404, f"no {what} {ident} here: it does not exist or is not yours")

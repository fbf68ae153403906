from django.conf import settings
from django.db import models


class SavedNetwork(models.Model):
    """A network in a student's library: a spec (possibly unfinished) under a name. Like runs, it belongs
    to a user, or to an anonymous visitor's session."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    name = models.CharField(max_length=80)
    spec = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name


class RunWeights(models.Model):
    """The trained weights of a finished run (torch.save of GraphModel's state_dict, float32), kept in
    the database so that the web process can export a run whichever worker host trained it."""

    run = models.OneToOneField("runs.Run", on_delete=models.CASCADE, related_name="trained_weights")
    data = models.BinaryField()
    saved_at = models.DateTimeField(auto_now=True)

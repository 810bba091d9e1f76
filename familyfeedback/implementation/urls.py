from django.urls import path

from familyfeedback.implementation.views import dashboards, reminders, supervision, training

urlpatterns = [
    path("dashboards/", dashboards.dashboards, name="dashboards"),
    path("dashboards/<slug:key>.<str:kind>", dashboards.download, name="dashboard_download"),
    path("reminders/", reminders.reminder_preference, name="reminders"),
    path("team/", supervision.team, name="team"),
    path("team/<int:practitioner_id>/", supervision.supervision, name="supervision"),
    path("training/", training.training, name="training"),
    path("training/new/", training.add_event, name="add_training_event"),
    path("training/<int:event_id>/attendance/", training.attendance, name="attendance"),
]

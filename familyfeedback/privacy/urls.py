from django.urls import path

from familyfeedback.privacy import views_access

urlpatterns = [
    path("privacy/people/<int:person_id>/subject-access/", views_access.subject_access,
         name="subject_access"),
]

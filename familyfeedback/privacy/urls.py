from django.urls import path

from familyfeedback.privacy import views_access, views_dictionary

urlpatterns = [
    path("privacy/people/<int:person_id>/subject-access/", views_access.subject_access,
         name="subject_access"),
    path("privacy/data-dictionary/", views_dictionary.data_dictionary, name="data_dictionary"),
]

from django.urls import path

from familyfeedback.privacy import views_access, views_dictionary, views_family

urlpatterns = [
    path("privacy/people/<int:person_id>/subject-access/", views_access.subject_access,
         name="subject_access"),
    path("privacy/data-dictionary/", views_dictionary.data_dictionary, name="data_dictionary"),
    path("privacy/families/", views_family.find_family, name="privacy_find_family"),
    path("privacy/families/<int:family_id>/", views_family.family_privacy,
         name="family_privacy"),
    path("privacy/families/<int:family_id>/legal-hold/", views_family.set_legal_hold,
         name="set_legal_hold"),
    path("privacy/families/<int:family_id>/legal-hold/lift/", views_family.lift_legal_hold,
         name="lift_legal_hold"),
    path("privacy/families/<int:family_id>/erase/", views_family.erase_family,
         name="erase_family"),
    path("privacy/people/<int:person_id>/correct/", views_family.rectify_person,
         name="rectify_person"),
]

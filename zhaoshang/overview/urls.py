from django.urls import path

from zhaoshang.overview import views

# The start page keeps the name it had when it lived in core ("core:home"): the log-in redirect,
# the navbar and every link and test that reverse it stay as they are.
app_name = "core"

urlpatterns = [path("", views.HomeView.as_view(), name="home")]

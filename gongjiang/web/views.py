from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"


class LogoutView(auth_views.LogoutView):
    pass

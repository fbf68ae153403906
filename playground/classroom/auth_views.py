"""Log in (rate limited), log out, register (username + password, Django's validators), join a
classroom by code or link."""
from django import forms
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import accounts, ratelimit
from .models import Classroom, Membership


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)


class RegisterForm(forms.Form):
    username = forms.RegexField(max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": "Use letters, digits and . @ + - _ only."})
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(widget=forms.PasswordInput, strip=False, label="Password again")
    code = forms.CharField(max_length=12, required=False, label="Join code")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError("This username is taken: pick another.")
        return username

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip().upper()
        if code and not Classroom.objects.filter(join_code=code).exists():
            raise ValidationError("No classroom has this code: check it with your teacher.")
        return code

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif data.get("password") and data.get("username"):
            user = get_user_model()(username=data["username"])
            try:
                validate_password(data["password"], user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


def _next_url(request, default="/classroom/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    status, wait = 200, 0
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        wait = ratelimit.blocked_for(request, username)
        if wait:
            status = 429
            form.add_error(None, f"Too many failed logins: try again in {max(1, wait // 60)} min.")
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                ratelimit.record_failure(request, username)
                form.add_error(None, "Wrong username or password.")
                status = 400
            else:
                ratelimit.clear(request, username)
                login(request, user)  # rotates the session key
                return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    return render(request, "classroom/login.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


@require_http_methods(["GET", "POST"])
def register_view(request):
    form = RegisterForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.create_user(username=data["username"], password=data["password"])
        if data["code"]:
            classroom = Classroom.objects.get(join_code=data["code"])
            Membership.objects.create(classroom=classroom, student=user)
            user.groups.add(accounts.group("student"))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next_url(request))
    return render(request, "classroom/register.html", {"form": form, "next": _next_url(request)},
                  status=400 if request.method == "POST" else 200)


def join_view(request, code):
    """The join link: a logged-in student joins at once; anyone else registers (or logs in) first."""
    classroom = Classroom.objects.filter(join_code=code.upper()).first()
    if classroom is None:
        return render(request, "classroom/message.html", {"title_key": "classroom.join_unknown", "text": code}, status=404)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/register/?code={classroom.join_code}")
    if classroom.teacher_id != request.user.id:
        Membership.objects.get_or_create(classroom=classroom, student=request.user)
        request.user.groups.add(accounts.group("student"))
    return redirect(f"/classroom/{classroom.id}/")

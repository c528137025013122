"""Two-step sign-in: the code after the password, and on a person's account, setting up an
authenticator app, recovery codes, and turning it off."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from projects.auth import bp, changes, queries, second_factor, sessions
from projects.auth.forms import CodeForm, RecoveryCodeForm, SetUpForm, TurnOffForm
from projects.auth.models import User
from projects.auth.views import account_page, safe_next
from projects.fields import ConfirmForm

# Kept in the session, not the database, until the person confirms it with a code: opening
# the set-up page changes nothing. The new recovery codes wait there for the one page that
# shows them.
NEW_KEY, NEW_RECOVERY_CODES = "_new_second_factor_key", "_new_recovery_codes"


@bp.route("/login/code", methods=["GET", "POST"])
def enter_code():
    if current_user.is_authenticated:
        return redirect(url_for("projects.home"))
    waiting = sessions.pending()
    if waiting is None or waiting.step != sessions.ENTER_CODE:
        return redirect(url_for("auth.login"))
    form, recovery_form = CodeForm(), RecoveryCodeForm()
    sent = recovery_form if "recovery_code" in request.form else form
    if sent.validate_on_submit():
        field = sent.recovery_code if sent is recovery_form else sent.code
        problem = changes.check_code(waiting.user, field.data)
        if problem is None:
            sessions.start(waiting.user)
            return redirect(safe_next(waiting.next_url))
        field.errors.append(problem)
    form.code.data = recovery_form.recovery_code.data = ""  # a refused code is of no use
    return render_template("auth/enter_code.html", form=form, recovery_form=recovery_form)


@bp.route("/account/two-step-sign-in/set-up", methods=["GET", "POST"])
def set_up_second_factor():
    """Signed in, from the account page; or after the password when REQUIRE_MFA asks for it,
    before any session starts."""
    waiting = None if current_user.is_authenticated else sessions.pending()
    if not current_user.is_authenticated and (waiting is None or waiting.step != sessions.SET_UP):
        return redirect(url_for("auth.login"))
    user = waiting.user if waiting else current_user._get_current_object()
    if queries.second_factor_of(user) is not None:  # turned on meanwhile, in another tab
        if waiting:
            sessions.start_pending(user, sessions.ENTER_CODE, waiting.next_url)
            return redirect(url_for("auth.enter_code"))
        flash("Two-step sign-in is already on.", "info")
        return redirect(url_for("auth.account"))
    key = session.setdefault(NEW_KEY, second_factor.new_key())
    form = SetUpForm()
    if form.validate_on_submit():
        codes, problem = changes.turn_on_second_factor(user, key, form.code.data)
        if codes is not None:
            sessions.start(User.get_by_id(user.id))  # a new session; the others have ended
            session[NEW_RECOVERY_CODES] = codes
            flash("Two-step sign-in is on. You are signed out on every other device.", "success")
            after = waiting.next_url if waiting else url_for("auth.account")
            return redirect(url_for("auth.recovery_codes", next=after))
        form.code.errors.append(problem)
    form.code.data = ""
    return render_template(
        "auth/set_up_second_factor.html",
        form=form,
        user=user,
        required=waiting is not None,
        qr_code=second_factor.qr_svg(second_factor.setup_address(key, user.email)),
        key=second_factor.key_in_groups(key),
        label=second_factor.account_label(user.email),
    )


@bp.route("/account/two-step-sign-in/recovery-codes")
def recovery_codes():
    """New recovery codes, shown once; afterwards, how many are left."""
    if queries.second_factor_of(current_user) is None:
        return redirect(url_for("auth.account"))
    return render_template(
        "auth/recovery_codes.html",
        codes=session.pop(NEW_RECOVERY_CODES, None),
        left=queries.recovery_codes_left(current_user),
        next_url=safe_next(request.args.get("next")),
    )


@bp.route("/account/two-step-sign-in/recovery-codes/new", methods=["POST"])
def new_recovery_codes():
    if queries.second_factor_of(current_user) is None:
        return redirect(url_for("auth.account"))
    if ConfirmForm().validate_on_submit():
        session[NEW_RECOVERY_CODES] = changes.new_recovery_codes(current_user)
        flash("You have new recovery codes. The old ones no longer work.", "success")
    return redirect(url_for("auth.recovery_codes", next=url_for("auth.account")))


@bp.route("/account/two-step-sign-in/turn-off", methods=["POST"])
def turn_off_second_factor():
    if queries.second_factor_of(current_user) is None:
        return redirect(url_for("auth.account"))
    if current_app.config["REQUIRE_MFA"]:
        flash("Two-step sign-in is required for every account, so it cannot be turned off.", "info")
        return redirect(url_for("auth.account"))
    form = TurnOffForm()
    if form.validate_on_submit():
        problem = changes.check_password_or_code(current_user, form.password.data, form.code.data)
        if problem is None:
            changes.turn_off_second_factor(current_user)
            flash("Two-step sign-in is off. You sign in with your password alone.", "success")
            return redirect(url_for("auth.account"))
        form.password.errors.append(problem)
    form.password.data = form.code.data = ""  # a redrawn page never carries a password back
    return account_page(turn_off_form=form)

// Signing in and creating an account. One of the two forms is in the document at a time, so
// their labels ("Username", "Password") are never ambiguous. A new account is signed in at once.

import {api, onSubmit, signIn} from "/common/api.js";
import {checkPhone, clearFieldProblems, fieldProblem, mount} from "./shared.js";

let afterSignIn = () => {};

async function register(fields, form) {
    clearFieldProblems(form);
    const missing = ["username", "email", "phone", "password"].find((name) => !fields[name]);
    if (missing) {
        fieldProblem(form, form.elements[missing], "Fill in every field.");
        return false;
    }
    const phone = checkPhone(fields.phone);
    if (phone.error) {
        fieldProblem(form, form.elements.phone, phone.error);
        return false;
    }
    const password = form.elements.password.value;  // as typed: formFields trims
    if (password.length < 10) {
        fieldProblem(form, form.elements.password, "The password needs at least 10 characters.");
        return false;
    }
    const {username, email} = fields;
    await api("POST", "/auth/register", {json: {username, email, phone: phone.value, password}});
    await signIn(username, password);
    return true;
}

async function signInWith(fields, form) {
    clearFieldProblems(form);
    if (!fields.username || !fields.password) {
        const empty = fields.username ? form.elements.password : form.elements.username;
        fieldProblem(form, empty, "Enter your username and password.");
        return false;
    }
    await signIn(fields.username, form.elements.password.value);
    return true;
}

function showRegister() {
    mount("tpl-register");
    const form = document.getElementById("register-form");
    document.getElementById("show-sign-in").addEventListener("click", () => showSignIn(true));
    onSubmit(form, async (fields) => {
        if (await register(fields, form)) {
            afterSignIn();
        }
    });
    form.elements.username.focus();
}

// Shows the sign-in form; moveFocus after the person switched forms themselves.
export function showSignIn(moveFocus = false) {
    mount("tpl-sign-in");
    const form = document.getElementById("sign-in-form");
    document.getElementById("show-register").addEventListener("click", showRegister);
    onSubmit(form, async (fields) => {
        if (await signInWith(fields, form)) {
            afterSignIn();
        }
    });
    if (moveFocus) {
        form.elements.username.focus();
    }
}

// onSignedIn() runs after a successful sign-in or registration.
export function initAuth(onSignedIn) {
    afterSignIn = onSignedIn;
}

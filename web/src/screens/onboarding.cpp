// Onboarding: create an account (and save its recovery phrase) or restore one from its phrase,
// then choose a display name. Validation is the core's; problems come back in the view and are
// shown next to what they concern, naming the word at fault when there is one.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

constexpr float kCardCss = 480.0f;

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size() && words.size() < 64) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        const std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

// Words as numbered chips, `columns` per row; the chip at `bad_position` (1-based) in red.
void word_grid(Ctx& ctx, const std::vector<std::string_view>& words, int columns,
               std::size_t bad_position, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float gap = ctx.px(8);
    const float cell_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float cell_h = ImGui::GetTextLineHeight() + ctx.px(14);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* small = ctx.small();
    for (std::size_t i = 0; i < words.size(); ++i) {
        const int col = static_cast<int>(i) % columns;
        const int row = static_cast<int>(i) / columns;
        const ImVec2 a(origin.x + static_cast<float>(col) * (cell_w + gap),
                       origin.y + static_cast<float>(row) * (cell_h + gap));
        const ImVec2 b(a.x + cell_w, a.y + cell_h);
        const bool bad = i + 1 == bad_position;
        dl->AddRectFilled(a, b, bad ? palette::kDangerBg : palette::kSurface, style.FrameRounding);
        const std::string number = std::to_string(i + 1);
        const float number_w = ctx.px(22);
        dl->AddText(small, small->FontSize,
                    ImVec2(a.x + ctx.px(8), a.y + (cell_h - small->FontSize) * 0.5f),
                    palette::kTextFaint, number.c_str());
        const std::string word =
            ellipsize(ctx.body(), words[i], cell_w - number_w - ctx.px(14));
        dl->AddText(ImVec2(a.x + ctx.px(8) + number_w, a.y + ctx.px(7)),
                    bad ? palette::kDanger : palette::kText, word.c_str());
    }
    const int rows = (static_cast<int>(words.size()) + columns - 1) / columns;
    ImGui::Dummy(ImVec2(width, rows > 0 ? static_cast<float>(rows) * (cell_h + gap) - gap : 0));
}

void heading(Ctx& ctx, const char* title, const char* explanation, float width) {
    ImGui::PushFont(ctx.title());
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, ctx.px(2)));
    text_wrapped(ctx.body(), palette::kTextDim, explanation, width);
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
}

void welcome(Ctx& ctx, float width) {
    ImGui::PushFont(ctx.title());
    ImGui::TextUnformatted("Session Tab");
    ImGui::PopFont();
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Private messages in a browser tab. A Session account needs no phone number "
                 "and no email: it is a key kept in this browser, and a 13-word recovery phrase "
                 "brings it back anywhere.",
                 width);
    ImGui::Dummy(ImVec2(0, ctx.px(16)));
    const bool busy = ctx.view.onboarding.busy;
    if (button("Create account", ButtonKind::Primary, ImVec2(width, 0), !busy)) {
        ctx.sink.push(app::intent::CreateAccount{});
    }
    track(ctx, "onboarding.create");
    if (button("I have an account", ButtonKind::Secondary, ImVec2(width, 0), !busy)) {
        ctx.sink.push(app::intent::StartRestore{});
    }
    track(ctx, "onboarding.restore");
    // One click to a working account; the phrase waits in Settings (with a reminder).
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    const float try_w = ImGui::CalcTextSize("Try it now").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (width - try_w) * 0.5f));
    if (button("Try it now", ButtonKind::Link, ImVec2(0, 0), !busy)) {
        ctx.sink.push(app::intent::TryItNow{});
    }
    track(ctx, "onboarding.try");
    // Adding another account: the ones already here are a click away.
    if (ctx.view.adding_account) {
        ImGui::Dummy(ImVec2(0, ctx.px(4)));
        if (button("Back to my accounts", ButtonKind::Link, ImVec2(0, 0), !busy)) {
            ctx.sink.push(app::intent::CancelAddAccount{});
        }
        track(ctx, "onboarding.cancel_add");
    }
}

void show_phrase(Ctx& ctx, float width) {
    const app::OnboardingView& ob = ctx.view.onboarding;
    heading(ctx, "Your recovery phrase",
            "These 13 words are the only way to get your account back on another device or "
            "after clearing this browser. Write them down and keep them private: anyone who has "
            "them can read your messages.",
            width);
    const auto words = split_words(ob.phrase_to_show);
    word_grid(ctx, words, width < ctx.px(400) ? 3 : 4, 0, width);
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    const bool copied = copied_recently(ctx, "phrase");
    if (button(copied ? "Copied" : "Copy phrase", ButtonKind::Secondary, ImVec2(width, 0))) {
        copy_to_clipboard(ctx, "phrase", ob.phrase_to_show);
    }
    track(ctx, "onboarding.copy_phrase");
    if (!ob.new_session_id.empty()) {
        text_wrapped(ctx.small(), palette::kTextFaint,
                     "Session ID of the new account: " + ob.new_session_id, width);
    }
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    if (button("I have saved it", ButtonKind::Primary, ImVec2(width, 0), !ob.busy)) {
        ctx.sink.push(app::intent::ConfirmPhraseSaved{});
    }
    track(ctx, "onboarding.saved");
    if (button("Back", ButtonKind::Link, ImVec2(0, 0), !ob.busy)) {
        ctx.sink.push(app::intent::BackToWelcome{});
    }
    track(ctx, "onboarding.back");
}

void enter_phrase(Ctx& ctx, float width, bool just_entered) {
    UiState& ui = ctx.ui;
    const app::OnboardingView& ob = ctx.view.onboarding;
    heading(ctx, "Restore your account",
            "Type or paste your 13-word recovery phrase. Words are separated by spaces.", width);
    if (just_entered) ImGui::SetKeyboardFocusHere();
    // Enter restores; Ctrl+Enter would add a line (phrases have none).
    const float lines_h = ImGui::GetTextLineHeight() * 3 + ImGui::GetStyle().FramePadding.y * 2;
    const bool enter = input_text_multiline(
        "##phrase", ui.restore_phrase, ImVec2(width, lines_h),
        ImGuiInputTextFlags_CtrlEnterForNewLine | ImGuiInputTextFlags_EnterReturnsTrue);
    track(ctx, "onboarding.phrase_input");

    const auto words = split_words(ui.restore_phrase);
    std::size_t bad = 0;
    if (ob.phrase_problem && ob.phrase_problem->word_position) bad = *ob.phrase_problem->word_position;
    if (!words.empty()) {
        word_grid(ctx, words, width < ctx.px(400) ? 3 : 4, bad, width);
        const std::string count = std::to_string(words.size()) + " of 13 words";
        text(ctx.small(), words.size() == 13 ? palette::kTextDim : palette::kTextFaint, count);
    }
    if (ob.phrase_problem) problem_text(ctx, *ob.phrase_problem, width);
    if (ob.busy) text(ctx.body(), palette::kTextDim, "Checking your account\xE2\x80\xA6");
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    const bool can_submit = !ob.busy && !words.empty();
    if ((button("Restore", ButtonKind::Primary, ImVec2(width, 0), can_submit) ||
         (enter && can_submit))) {
        ctx.sink.push(app::intent::RestoreAccount{ui.restore_phrase});
    }
    track(ctx, "onboarding.restore_submit");
    if (button("Back", ButtonKind::Link, ImVec2(0, 0), !ob.busy)) {
        ctx.sink.push(app::intent::BackToWelcome{});
    }
    track(ctx, "onboarding.back");
}

void choose_name(Ctx& ctx, float width, bool just_entered) {
    UiState& ui = ctx.ui;
    const app::OnboardingView& ob = ctx.view.onboarding;
    heading(ctx, "Choose a display name",
            "People you message see this name next to your Session ID.", width);
    if (just_entered) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(width);
    const bool enter = input_text("##name", ui.display_name, ImGuiInputTextFlags_EnterReturnsTrue,
                                  "Display name");
    track(ctx, "onboarding.name_input");
    if (ob.name_problem) problem_text(ctx, *ob.name_problem, width);
    if (!ob.new_session_id.empty()) {
        text_wrapped(ctx.small(), palette::kTextFaint, "Your Session ID: " + ob.new_session_id,
                     width);
    }
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    if (button("Continue", ButtonKind::Primary, ImVec2(width, 0), !ob.busy) ||
        (enter && !ob.busy)) {
        ctx.sink.push(app::intent::ChooseDisplayName{ui.display_name});
    }
    track(ctx, "onboarding.name_submit");
}

// A restored account's profile is being read from its swarm (no animation: frames are drawn on
// demand, and the core's next view — the main screen or ChooseName — ends this screen).
void loading_account(Ctx& ctx, float width) {
    const app::OnboardingView& ob = ctx.view.onboarding;
    heading(ctx, "Loading your account\xE2\x80\xA6",
            "Your name, contacts and what you have read come from your other devices through the "
            "network. This takes a few seconds.",
            width);
    if (!ob.new_session_id.empty()) {
        text_wrapped(ctx.small(), palette::kTextFaint, "Your Session ID: " + ob.new_session_id, width);
    }
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    if (button("Cancel", ButtonKind::Link, ImVec2(0, 0))) ctx.sink.push(app::intent::BackToWelcome{});
    track(ctx, "onboarding.loading_cancel");
}

}  // namespace

void draw_onboarding(Ctx& ctx, ImVec2 size) {
    const float width = std::min(size.x - ctx.px(32), ctx.px(kCardCss));
    const float left = std::max(ctx.px(16), (size.x - width) * 0.5f);
    const ImVec2 start = ImGui::GetCursorPos();
    begin_region("onboarding", size, palette::kBackground, ImVec2(0, 0));
    ImGui::SetCursorPos(ImVec2(left, std::max(ctx.px(24), size.y * 0.12f)));
    ImGui::BeginGroup();
    ImGui::PushItemWidth(width);
    const auto step = ctx.view.onboarding.step;
    // A step's input gets keyboard focus on the step's first frame.
    const bool just_entered = ctx.ui.onboarding_drawn_step != static_cast<int>(step);
    ctx.ui.onboarding_drawn_step = static_cast<int>(step);
    switch (step) {
        case app::OnboardingStep::Welcome: welcome(ctx, width); break;
        case app::OnboardingStep::ShowPhrase: show_phrase(ctx, width); break;
        case app::OnboardingStep::EnterPhrase: enter_phrase(ctx, width, just_entered); break;
        case app::OnboardingStep::ChooseName: choose_name(ctx, width, just_entered); break;
        case app::OnboardingStep::LoadingAccount: loading_account(ctx, width); break;
    }
    ImGui::PopItemWidth();
    ImGui::EndGroup();
    ImGui::Dummy(ImVec2(0, ctx.px(24)));
    end_region();
    ImGui::SetCursorPos(start);
}

}  // namespace st::ui::detail

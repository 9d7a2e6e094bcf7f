// Building blocks shared by the screens (see widgets.hpp).
#include "widgets/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <qrcodegen.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "theme/palette.hpp"

namespace st::ui::detail {

ImFont* Ctx::body() const { return ui.fonts.body ? ui.fonts.body : ImGui::GetFont(); }
ImFont* Ctx::title() const { return ui.fonts.title ? ui.fonts.title : body(); }
ImFont* Ctx::small() const { return ui.fonts.small ? ui.fonts.small : body(); }

// [SECTION] Named widgets --------------------------------------------------------------------

void track(Ctx& ctx, std::string name) {
    if (!ImGui::IsItemVisible()) return;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // Only the part inside the current clip rectangle can be clicked.
    const ImVec4 clip = ImGui::GetCurrentWindow()->ClipRect.ToVec4();
    const float x0 = std::max(min.x, clip.x), y0 = std::max(min.y, clip.y);
    const float x1 = std::min(max.x, clip.z), y1 = std::min(max.y, clip.w);
    if (x1 <= x0 || y1 <= y0) return;
    ctx.ui.rects.push_back(WidgetRect{std::move(name), x0, y0, x1 - x0, y1 - y0});
}

// [SECTION] Inputs ---------------------------------------------------------------------------

namespace {
int resize_string(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* text = static_cast<std::string*>(data->UserData);
        text->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = text->data();
    }
    return 0;
}
}  // namespace

bool input_text(const char* id, std::string& text, ImGuiInputTextFlags flags, const char* hint) {
    flags |= ImGuiInputTextFlags_CallbackResize;
    if (hint != nullptr) {
        return ImGui::InputTextWithHint(id, hint, text.data(), text.capacity() + 1, flags,
                                        resize_string, &text);
    }
    return ImGui::InputText(id, text.data(), text.capacity() + 1, flags, resize_string, &text);
}

bool input_text_multiline(const char* id, std::string& text, const ImVec2& size,
                          ImGuiInputTextFlags flags) {
    flags |= ImGuiInputTextFlags_CallbackResize;
    return ImGui::InputTextMultiline(id, text.data(), text.capacity() + 1, size, flags,
                                     resize_string, &text);
}

namespace {

// The width lines of a wrapped input may take: ImGui draws the text FramePadding.x inside the frame,
// and keeps the width of a scrollbar free once the text is taller than the frame; that width is
// always kept so lines do not re-wrap when the scrollbar appears. One more pixel for the caret.
float wrap_width_for(float input_width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    return std::max(1.0f, input_width - style.FramePadding.x * 2 - style.ScrollbarSize - 1.0f);
}

// Advances in the current font at the current size, as ImGui's text input measures them.
AdvanceFn font_advance() {
    ImFont* font = ImGui::GetFont();
    const float k = ImGui::GetFontSize() / font->FontSize;
    return [font, k](unsigned int c) { return font->GetCharAdvance(static_cast<ImWchar>(c)) * k; };
}

struct WrappedInput {
    std::string* text;
    WrappedText* wrap;
    std::string* buffer;
    float width;
};

// Runs every frame while the input is being edited, after ImGui applied this frame's keys and
// text to its display text: works out the logical text, re-wraps it and, if the lines changed,
// gives ImGui the new display text with the caret and selection carried over.
int wrapped_callback(ImGuiInputTextCallbackData* data) {
    auto* in = static_cast<WrappedInput*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        in->buffer->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = in->buffer->data();
        return 0;
    }
    const std::string_view now(data->Buf, static_cast<std::size_t>(data->BufTextLen));
    const ImGuiIO& io = ImGui::GetIO();
    const bool shortcut = io.ConfigMacOSXBehaviors ? io.KeySuper : io.KeyCtrl;
    const bool edited = now != in->wrap->display;
    std::size_t caret = static_cast<std::size_t>(data->CursorPos);
    std::size_t sel_a = static_cast<std::size_t>(data->SelectionStart);
    std::size_t sel_b = static_cast<std::size_t>(data->SelectionEnd);
    WrappedText current;
    if (edited) {
        const bool forward = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete));
        Edited e = follow_edit(*in->wrap, now, caret, forward);
        if (shortcut && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_X)) && e.removed > 0) {
            // ImGui cut the display text; the clipboard gets it without the soft breaks.
            ImGui::SetClipboardText(unwrap_range(*in->wrap, e.from, e.from + e.removed).c_str());
        }
        current = std::move(e.text);
        caret = sel_a = sel_b = e.caret;
    } else {
        current = *in->wrap;
        if (shortcut && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_C)) && sel_a != sel_b) {
            ImGui::SetClipboardText(
                unwrap_range(current, std::min(sel_a, sel_b), std::max(sel_a, sel_b)).c_str());
        }
    }
    *in->text = unwrap(current);
    WrappedText next = (!edited && current.width == in->width)
                           ? current
                           : wrap_text(*in->text, in->width, font_advance());
    if (next.display != now) {
        const auto map = [&](std::size_t pos) {
            return static_cast<int>(to_display(next, to_logical(current, pos)));
        };
        const int new_caret = map(caret);
        const int new_a = map(sel_a);
        const int new_b = map(sel_b);
        data->DeleteChars(0, data->BufTextLen);
        data->InsertChars(0, next.display.data(), next.display.data() + next.display.size());
        data->CursorPos = new_caret;
        data->SelectionStart = new_a;
        data->SelectionEnd = new_b;
        // stb_textedit's undo records are positions in the text before this replacement; undoing
        // one now could reach past the end of the text.
        if (ImGuiInputTextState* state = ImGui::GetInputTextState(ImGui::GetActiveID())) {
            state->Stb.undostate.undo_point = 0;
            state->Stb.undostate.undo_char_point = 0;
            state->Stb.undostate.redo_point = STB_TEXTEDIT_UNDOSTATECOUNT;
            state->Stb.undostate.redo_char_point = STB_TEXTEDIT_UNDOCHARCOUNT;
        }
    }
    *in->wrap = std::move(next);
    return 0;
}

}  // namespace

int wrap_input(const std::string& text, WrappedText& wrap, std::string& buffer, bool active,
               float input_width) {
    const float width = wrap_width_for(input_width);
    if (!active && (wrap.width != width || unwrap(wrap) != text)) {
        wrap = wrap_text(text, width, font_advance());
    }
    if (!active && buffer != wrap.display) buffer = wrap.display;
    return static_cast<int>(std::count(wrap.display.begin(), wrap.display.end(), '\n')) + 1;
}

bool input_text_wrapped(const char* id, std::string& text, WrappedText& wrap, std::string& buffer,
                        bool& active, const ImVec2& size, ImGuiInputTextFlags flags) {
    WrappedInput in{&text, &wrap, &buffer, wrap_width_for(size.x)};
    // No horizontal scrolling: lines fit by construction, and spaces hanging past the end of a
    // line must not scroll the whole text sideways.
    flags |= ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways |
             ImGuiInputTextFlags_NoHorizontalScroll;
    const bool was_active = active;
    const bool result = ImGui::InputTextMultiline(id, buffer.data(), buffer.capacity() + 1, size,
                                                  flags, wrapped_callback, &in);
    active = ImGui::IsItemActive();
    if (buffer != wrap.display && was_active && !active &&
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        // Escape: ImGui put back the text from the start of the edit (its soft breaks would read
        // as real line breaks), without calling back. A messenger keeps what was typed.
        buffer = wrap.display;
    } else if (buffer != wrap.display) {
        // Changed without the callback running (not expected; kept consistent all the same).
        Edited e = follow_edit(wrap, buffer, 0, false);
        text = unwrap(e.text);
        wrap = std::move(e.text);
        if (!active) {
            wrap = wrap_text(text, in.width, font_advance());
            buffer = wrap.display;
        }
    }
    return result;
}

// [SECTION] Buttons --------------------------------------------------------------------------

bool button(const char* label, ButtonKind kind, ImVec2 size, bool enabled) {
    int colors = 0;
    auto push = [&](ImGuiCol idx, ImU32 c) {
        ImGui::PushStyleColor(idx, c);
        ++colors;
    };
    switch (kind) {
        case ButtonKind::Primary:
            push(ImGuiCol_Button, palette::kAccent);
            push(ImGuiCol_ButtonHovered, palette::kAccentHover);
            push(ImGuiCol_ButtonActive, palette::kAccentActive);
            push(ImGuiCol_Text, palette::kOnAccent);
            break;
        case ButtonKind::Secondary:
            break;
        case ButtonKind::Danger:
            push(ImGuiCol_Button, palette::kDangerBg);
            push(ImGuiCol_Text, palette::kDanger);
            break;
        case ButtonKind::Link:
            push(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
            push(ImGuiCol_ButtonHovered, palette::kSurface);
            push(ImGuiCol_ButtonActive, palette::kSurfaceHover);
            push(ImGuiCol_Text, palette::kAccent);
            break;
    }
    if (!enabled) ImGui::BeginDisabled();
    const bool pressed = ImGui::Button(label, size);
    if (!enabled) ImGui::EndDisabled();
    if (enabled && ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopStyleColor(colors);
    return pressed && enabled;
}

float notice_bar(Ctx& ctx, float width, ImU32 background, std::string_view text, const char* name,
                 std::initializer_list<BarButton> buttons, int& pressed) {
    pressed = -1;
    const float pad = ctx.px(8);
    const ImGuiStyle& style = ImGui::GetStyle();
    float buttons_w = 0;
    for (const BarButton& b : buttons) buttons_w += ImGui::CalcTextSize(b.label).x + style.FramePadding.x * 2 + pad;
    const float text_w = std::max(ctx.px(80), width - 2 * pad - buttons_w);
    ImFont* font = ctx.body();
    const float text_h = font->CalcTextSizeA(font->FontSize, FLT_MAX, text_w, text.data(), text.data() + text.size()).y;
    const float button_h = ImGui::GetFrameHeight();
    const float height = std::max(text_h, buttons.size() > 0 ? button_h : 0.0f) + 2 * pad;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), background);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + (height - text_h) * 0.5f));
    text_wrapped(font, palette::kText, text, text_w);
    track(ctx, name);
    float x = origin.x + width - buttons_w;
    int index = 0;
    for (const BarButton& b : buttons) {
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y + (height - button_h) * 0.5f));
        if (button(b.label, b.kind)) pressed = index;
        track(ctx, b.name);
        x += ImGui::CalcTextSize(b.label).x + style.FramePadding.x * 2 + pad;
        ++index;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
    return height;
}

bool begin_centered_modal(Ctx& ctx, const char* id, bool& opened, float max_css, float& inner) {
    if (!opened) {
        ImGui::OpenPopup(id);
        opened = true;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float width = std::max(ctx.px(200), std::min(ctx.px(max_css), vp->Size.x - ctx.px(32)));
    inner = width - ctx.px(40);
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, FLT_MAX));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ctx.px(20), ctx.px(16)));
    const bool open = ImGui::BeginPopupModal(
        id, nullptr,
        ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PopStyleVar();
    return open;
}

// [SECTION] Text -----------------------------------------------------------------------------

void text(ImFont* font, ImU32 color, std::string_view s) {
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void text_wrapped(ImFont* font, ImU32 color, std::string_view s, float wrap_width) {
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void text_centered(ImFont* font, ImU32 color, std::string_view s) {
    const float width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, s.data(),
                                            s.data() + s.size()).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - width) * 0.5f));
    text(font, color, s);
}

std::string ellipsize(ImFont* font, std::string_view s, float max_width) {
    const auto newline = s.find('\n');
    const bool cut_line = newline != std::string_view::npos;
    if (cut_line) s = s.substr(0, newline);
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    const float full = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, begin, end).x;
    if (!cut_line && full <= max_width) return std::string(s);
    const std::string_view dots = "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
    const float budget = max_width - font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f,
                                                         dots.data(), dots.data() + dots.size()).x;
    float width = 0;
    const char* p = begin;
    while (p < end) {
        unsigned int c = 0;
        const int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        const float advance = font->GetCharAdvance(static_cast<ImWchar>(c));
        if (width + advance > budget) break;
        width += advance;
        p += n;
    }
    std::string out(begin, p);
    out += dots;
    return out;
}

void problem_text(const Ctx& ctx, const app::Problem& problem, float wrap_width) {
    text_wrapped(ctx.body(), palette::kDanger, problem.text, wrap_width);
}

void avatar(ImDrawList* dl, ImVec2 centre, float radius, std::string_view name, ImFont* font) {
    static constexpr std::array<ImU32, 6> kHues = {
        IM_COL32(0x3D, 0x8B, 0xFF, 0xFF), IM_COL32(0xE0, 0x6C, 0x3C, 0xFF),
        IM_COL32(0x9B, 0x6B, 0xFF, 0xFF), IM_COL32(0x2E, 0xB8, 0x9A, 0xFF),
        IM_COL32(0xD9, 0x4F, 0x8A, 0xFF), IM_COL32(0xC9, 0xA2, 0x27, 0xFF)};
    std::uint32_t hash = 2166136261u;
    for (const char c : name) hash = (hash ^ static_cast<std::uint8_t>(c)) * 16777619u;
    dl->AddCircleFilled(centre, radius, kHues[hash % kHues.size()], 32);
    unsigned int first = '?';
    if (!name.empty()) ImTextCharFromUtf8(&first, name.data(), name.data() + name.size());
    if (first >= 'a' && first <= 'z') first -= 'a' - 'A';
    char letter[5] = {};
    ImTextCharToUtf8(letter, static_cast<unsigned int>(first));
    const float size = radius * 1.1f;
    const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, letter);
    dl->AddText(font, size, ImVec2(centre.x - extent.x * 0.5f, centre.y - extent.y * 0.5f),
                palette::kText, letter);
}

std::string short_id(std::string_view id) {
    if (id.size() <= 14) return std::string(id);
    return std::string(id.substr(0, 6)) + "\xE2\x80\xA6" + std::string(id.substr(id.size() - 6));
}

// [SECTION] Time -----------------------------------------------------------------------------

namespace {
constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::array<const char*, 12> kMonthShort = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 12> kMonthLong = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kDayShort = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 7> kDayLong = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                 "Thursday", "Friday", "Saturday"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t local_ms(std::int64_t unix_ms, int offset_minutes) {
    return unix_ms + static_cast<std::int64_t>(offset_minutes) * kMsPerMinute;
}
}  // namespace

CivilTime civil_time(std::int64_t unix_ms, int utc_offset_minutes) {
    const std::int64_t ms = local_ms(unix_ms, utc_offset_minutes);
    const std::int64_t days = floor_div(ms, kMsPerDay);
    const std::int64_t in_day = ms - days * kMsPerDay;
    // Days since 1970-01-01 to a proleptic Gregorian date, counting in 400-year eras that start
    // on 1 March (so the leap day is the last day of the era's year).
    const std::int64_t z = days + 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    CivilTime t{};
    t.year = static_cast<int>(y);
    t.month = static_cast<int>(m);
    t.day = static_cast<int>(d);
    t.hour = static_cast<int>(in_day / 3'600'000);
    t.minute = static_cast<int>((in_day / kMsPerMinute) % 60);
    t.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
    return t;
}

std::int64_t local_day(std::int64_t unix_ms, const FrameContext& clock) {
    return floor_div(local_ms(unix_ms, clock.utc_offset_minutes), kMsPerDay);
}

std::string clock_time(std::int64_t unix_ms, const FrameContext& clock) {
    const CivilTime t = civil_time(unix_ms, clock.utc_offset_minutes);
    char out[8];
    std::snprintf(out, sizeof out, "%02d:%02d", t.hour % 100, t.minute % 100);
    return out;
}

std::string list_time(std::int64_t unix_ms, const FrameContext& clock) {
    const std::int64_t day = local_day(unix_ms, clock);
    const std::int64_t today = local_day(clock.now_ms, clock);
    if (day == today) return clock_time(unix_ms, clock);
    const CivilTime t = civil_time(unix_ms, clock.utc_offset_minutes);
    if (day < today && today - day < 7) return kDayShort[static_cast<std::size_t>(t.weekday)];
    const CivilTime now = civil_time(clock.now_ms, clock.utc_offset_minutes);
    char out[32];
    if (t.year == now.year) {
        std::snprintf(out, sizeof out, "%d %s", t.day, kMonthShort[t.month - 1]);
    } else {
        std::snprintf(out, sizeof out, "%d %s %d", t.day, kMonthShort[t.month - 1], t.year);
    }
    return out;
}

std::string day_heading(std::int64_t unix_ms, const FrameContext& clock) {
    const std::int64_t day = local_day(unix_ms, clock);
    const std::int64_t today = local_day(clock.now_ms, clock);
    if (day == today) return "Today";
    if (day == today - 1) return "Yesterday";
    const CivilTime t = civil_time(unix_ms, clock.utc_offset_minutes);
    char out[48];
    std::snprintf(out, sizeof out, "%s %d %s %d", kDayLong[static_cast<std::size_t>(t.weekday)],
                  t.day, kMonthLong[static_cast<std::size_t>(t.month - 1)], t.year);
    return out;
}

std::string countdown_text(std::int64_t left_ms, std::int64_t& changes_in) {
    constexpr std::int64_t kS = 1000, kMin = 60 * kS, kH = 60 * kMin, kD = 24 * kH;
    if (left_ms <= 0) {
        changes_in = 0;
        return "0 s";
    }
    if (left_ms < kMin) {
        const std::int64_t n = (left_ms + kS - 1) / kS;  // 9.2 s left: "10 s" until 9 s
        changes_in = left_ms - (n - 1) * kS;
        return std::to_string(n) + " s";
    }
    const std::int64_t unit = left_ms < kH ? kMin : left_ms < kD ? kH : kD;
    const std::int64_t n = left_ms / unit;
    changes_in = left_ms - n * unit + 1;  // when fewer than n whole units are left
    return std::to_string(n) + (unit == kMin ? " min" : unit == kH ? " h" : " d");
}

void redraw_at(Ctx& ctx, std::int64_t at_ms) {
    std::int64_t& r = ctx.ui.redraw_at_ms;
    if (r == 0 || at_ms < r) r = at_ms;
}

// [SECTION] Clipboard feedback ---------------------------------------------------------------

void copy_to_clipboard(Ctx& ctx, std::string_view what, const std::string& text) {
    ImGui::SetClipboardText(text.c_str());
    ctx.ui.copied_what = std::string(what);
    ctx.ui.copied_at_ms = ctx.ui.clock.now_ms;
}

bool copied_recently(const Ctx& ctx, std::string_view what) {
    return ctx.ui.copied_what == what &&
           ctx.ui.clock.now_ms - ctx.ui.copied_at_ms < kCopiedFeedbackMs;
}

// [SECTION] QR code --------------------------------------------------------------------------

void qr_code(Ctx& ctx, const std::string& text, float side) {
    UiState& ui = ctx.ui;
    if (ui.qr_text != text) {
        ui.qr_text = text;
        ui.qr_size = 0;
        ui.qr_modules.clear();
        try {
            const auto qr = qrcodegen::QrCode::encodeText(text.c_str(),
                                                          qrcodegen::QrCode::Ecc::MEDIUM);
            ui.qr_size = qr.getSize();
            ui.qr_modules.resize(static_cast<std::size_t>(ui.qr_size * ui.qr_size));
            for (int y = 0; y < ui.qr_size; ++y) {
                for (int x = 0; x < ui.qr_size; ++x) {
                    ui.qr_modules[static_cast<std::size_t>(y * ui.qr_size + x)] =
                        qr.getModule(x, y) ? 1 : 0;
                }
            }
        } catch (const std::exception&) {
            ui.qr_size = 0;  // too long for any QR version: nothing to draw
        }
    }
    if (ui.qr_size <= 0) return;
    constexpr int kQuiet = 4;  // modules of light margin the standard asks for
    const int span = ui.qr_size + 2 * kQuiet;
    const float module = std::max(1.0f, std::floor(side / static_cast<float>(span)));
    const float total = module * static_cast<float>(span);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + total, origin.y + total), palette::kQrLight,
                      ctx.px(6));
    for (int y = 0; y < ui.qr_size; ++y) {
        int x = 0;
        while (x < ui.qr_size) {
            if (!ui.qr_modules[static_cast<std::size_t>(y * ui.qr_size + x)]) {
                ++x;
                continue;
            }
            const int run_start = x;
            while (x < ui.qr_size && ui.qr_modules[static_cast<std::size_t>(y * ui.qr_size + x)])
                ++x;
            const float x0 = origin.x + module * static_cast<float>(run_start + kQuiet);
            const float y0 = origin.y + module * static_cast<float>(y + kQuiet);
            dl->AddRectFilled(ImVec2(x0, y0),
                              ImVec2(x0 + module * static_cast<float>(x - run_start), y0 + module),
                              palette::kQrDark);
        }
    }
    ImGui::Dummy(ImVec2(total, total));
}

}  // namespace st::ui::detail

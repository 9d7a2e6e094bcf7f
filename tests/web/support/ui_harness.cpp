#include "web/support/ui_harness.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "st/ui/theme.hpp"

namespace st::ui::testing {
namespace {

std::vector<std::uint8_t> read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void set_clipboard(void* user, const char* text) { *static_cast<std::string*>(user) = text; }
const char* get_clipboard(void* user) { return static_cast<std::string*>(user)->c_str(); }

}  // namespace

UiHarness::UiHarness(HarnessOptions options) : options_(options) {
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(options.width, options.height);
    io.DeltaTime = 1.0f / 60.0f;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // KeysDown[k] is ImGuiKey k
    io.ClipboardUserData = &clipboard;
    io.SetClipboardTextFn = set_clipboard;
    io.GetClipboardTextFn = get_clipboard;

    std::vector<std::uint8_t> ttf;
    if (options.noto) ttf = read_file(ST_UI_FONT_PATH);
    ui.scale = options.scale;
    ui.fonts = load_fonts(*io.Fonts, ttf, options.scale);
    apply_style(options.scale);
    // 2024-03-05 14:00 UTC, shown one hour ahead (UTC+1).
    ui.clock.now_ms = 1'709'647'200'000;
    ui.clock.utc_offset_minutes = 60;
}

UiHarness::~UiHarness() { ImGui::DestroyContext(context_); }

std::vector<app::Intent> UiHarness::frame(const app::AppView& view) {
    ImGui::SetCurrentContext(context_);
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ui.clock.now_ms += 16;
    app::IntentSink sink;
    ImGui::NewFrame();
    draw_app(view, ui, sink);
    ImGui::Render();
    const ImDrawData* data = ImGui::GetDrawData();
    last_vertices = data ? static_cast<std::size_t>(data->TotalVtxCount) : 0;
    ImGui::GetIO().MouseWheel = 0;
    return sink.take();
}

std::vector<app::Intent> UiHarness::frames(const app::AppView& view, int count) {
    std::vector<app::Intent> all;
    for (int i = 0; i < count; ++i) {
        auto some = frame(view);
        all.insert(all.end(), std::make_move_iterator(some.begin()),
                   std::make_move_iterator(some.end()));
    }
    return all;
}

const WidgetRect& UiHarness::rect(std::string_view name) const {
    const WidgetRect* r = find_rect(ui, name);
    if (r == nullptr) {
        ADD_FAILURE() << "no widget named " << name << " in the last frame";
        static const WidgetRect kNone{};
        return kNone;
    }
    return *r;
}

std::size_t UiHarness::count_rects(std::string_view prefix) const {
    std::size_t n = 0;
    for (const auto& r : ui.rects) n += r.name.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
}

std::vector<app::Intent> UiHarness::click(const app::AppView& view, std::string_view name) {
    const WidgetRect r = rect(name);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.x + r.w * 0.5f, r.y + r.h * 0.5f);
    auto all = frame(view);
    io.MouseDown[0] = true;
    auto more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    io.MouseDown[0] = false;
    more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

std::vector<app::Intent> UiHarness::right_click(const app::AppView& view, std::string_view name) {
    const WidgetRect r = rect(name);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.x + r.w * 0.5f, r.y + r.h * 0.5f);
    auto all = frame(view);
    io.MouseDown[1] = true;
    auto more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    io.MouseDown[1] = false;
    more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

std::vector<app::Intent> UiHarness::long_press(const app::AppView& view, std::string_view name,
                                               int ms) {
    const WidgetRect r = rect(name);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.x + r.w * 0.5f, r.y + r.h * 0.5f);
    auto all = frame(view);
    io.MouseDown[0] = true;
    for (int held = 0; held <= ms; held += 16) {
        auto more = frame(view);
        all.insert(all.end(), more.begin(), more.end());
    }
    io.MouseDown[0] = false;
    auto more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

std::vector<app::Intent> UiHarness::hover(const app::AppView& view, std::string_view name) {
    const WidgetRect r = rect(name);
    ImGui::GetIO().MousePos = ImVec2(r.x + r.w * 0.5f, r.y + r.h * 0.5f);
    return frame(view);
}

std::vector<app::Intent> UiHarness::press(const app::AppView& view, ImGuiKey key, bool shift) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyShift = shift;
    io.KeysDown[key] = true;
    auto all = frame(view);
    io.KeysDown[key] = false;
    auto more = frame(view);
    io.KeyShift = false;
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

std::vector<app::Intent> UiHarness::type(const app::AppView& view, std::string_view text) {
    ImGui::GetIO().AddInputCharactersUTF8(std::string(text).c_str());
    return frame(view);
}

std::vector<app::Intent> UiHarness::wheel(const app::AppView& view, float x, float y,
                                          float notches) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    auto all = frame(view);  // hover first, as a real pointer would
    io.MouseWheel = notches;
    auto more = frame(view);
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

void UiHarness::resize(float width, float height) {
    ImGui::GetIO().DisplaySize = ImVec2(width, height);
}

}  // namespace st::ui::testing

#pragma once

#include <QPalette>
#include <QString>

#include <optional>

namespace wsprobe {

// The application's look: the platform's own style and palette (System), or the Fusion style
// with a light or a dark palette, whatever the desktop says. Kept in QSettings.
class Theme
{
public:
    enum class Choice { System, Light, Dark };

    // Remembers the style the application started with, which System goes back to. Construct
    // it before any theme is applied.
    Theme();

    // Sets the style and palette of the running application; widgets repaint on their own.
    void apply(Choice choice) const;

    static QPalette lightPalette();
    static QPalette darkPalette();

    // The choice stored under "appearance/theme"; System when there is none or it is unknown.
    static Choice saved();
    static void save(Choice choice);

    // "system", "light", "dark": the words stored in the settings.
    static QString key(Choice choice);
    static std::optional<Choice> fromKey(const QString &key);

private:
    QString m_systemStyle;
};

} // namespace wsprobe

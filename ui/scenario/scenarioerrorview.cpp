#include "scenarioerrorview.h"

#include "scenarioloader.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QTime>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {

ScenarioErrorView::ScenarioErrorView(const QString &path, QWidget *parent)
    : QWidget(parent)
    , m_path(path)
    , m_heading(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_reloadButton(new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reload"), this))
    , m_editButton(new QPushButton(tr("Open in Editor"), this))
{
    auto *icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_LargeIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_heading->setObjectName(u"scenarioErrorHeading"_s);
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_heading->setToolTip(absolutePath());
    m_reloadButton->setObjectName(u"reloadScenario"_s);
    m_reloadButton->setToolTip(tr("Read the file again, once it is fixed"));
    m_editButton->setObjectName(u"openScenarioInEditor"_s);
    m_editButton->setToolTip(tr("Open the file with the application the desktop uses for it"));

    // The GCC form, in monospace: what editors and terminals show, and easy to copy. One
    // paragraph per error, so each starts on a line of its own.
    m_text->setObjectName(u"scenarioErrors"_s);
    m_text->setReadOnly(true);
    // Wrapped: a long message (a list of the keys a step may have) is read without scrolling.
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setStyleHint(QFont::TypeWriter);
    fixed.setFixedPitch(true);
    m_text->setFont(fixed);

    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addWidget(m_heading, 1);
    header->addWidget(m_reloadButton, 0, Qt::AlignTop);
    header->addWidget(m_editButton, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_text, 1);

    connect(m_reloadButton, &QPushButton::clicked, this, &ScenarioErrorView::reload);
    connect(m_editButton, &QPushButton::clicked, this, &ScenarioErrorView::openInEditor);
}

QString ScenarioErrorView::absolutePath() const
{
    return QFileInfo(m_path).absoluteFilePath();
}

QString ScenarioErrorView::title() const
{
    return QFileInfo(m_path).fileName();
}

void ScenarioErrorView::setErrors(const QList<JsonError> &errors)
{
    m_errors = errors;
    QStringList lines;
    for (const JsonError &error : errors)
        lines.append(error.toString());
    m_text->setPlainText(lines.join(u'\n'));
    const QString problems = errors.size() == 1 ? tr("1 problem") : tr("%1 problems").arg(errors.size());
    // The time tells a user who pressed Reload that the file was read again.
    m_heading->setText(tr("<b>%1</b> cannot be opened: %2.<br>Fix the file in an editor, then "
                          "Reload. Read at %3.")
                           .arg(title().toHtmlEscaped(), problems,
                                QTime::currentTime().toString(u"HH:mm:ss"_s)));
}

bool ScenarioErrorView::reload()
{
    const ScenarioLoader::Result result = ScenarioLoader::loadFile(m_path);
    if (!result.scenario) {
        setErrors(result.errors);
        return false;
    }
    Q_EMIT loaded(*result.scenario);
    return true;
}

void ScenarioErrorView::openInEditor()
{
    QDesktopServices::openUrl(QUrl::fromLocalFile(absolutePath()));
}

} // namespace wsprobe

#include "environmenteditor.h"

#include "environmentsmodel.h"
#include "environmentvariablesmodel.h"
#include "themecolors.h"
#include "variablesyntax.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSaveFile>
#include <QShortcut>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {

EnvironmentEditor::EnvironmentEditor(QWidget *parent)
    : QWidget(parent)
    , m_environments(new EnvironmentsModel(this))
    , m_variables(new EnvironmentVariablesModel(this))
{
    m_picker = new QComboBox(this);
    m_picker->setObjectName(u"environmentPicker"_s);
    m_picker->setModel(m_environments);
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_picker->setMinimumContentsLength(8);
    m_picker->setToolTip(u"The environment whose variables a run uses"_s);
    m_newButton = new QToolButton(this);
    m_newButton->setObjectName(u"newEnvironment"_s);
    m_newButton->setText(u"New…"_s);
    m_newButton->setToolTip(u"Create an environment file in the workspace"_s);

    m_table = new QTableView(this);
    m_table->setObjectName(u"environmentTable"_s);
    m_table->setModel(m_variables);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(EnvironmentVariablesModel::NameColumn,
                                                      QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(EnvironmentVariablesModel::NameColumn, 120);

    m_addButton = new QToolButton(this);
    m_addButton->setObjectName(u"addVariable"_s);
    m_addButton->setText(u"+"_s);
    m_addButton->setToolTip(u"Add a variable"_s);
    m_removeButton = new QToolButton(this);
    m_removeButton->setObjectName(u"removeVariable"_s);
    m_removeButton->setText(u"−"_s);
    m_removeButton->setToolTip(u"Remove the selected variables"_s);
    m_showSecrets = new QCheckBox(u"Show secrets"_s, this);
    m_showSecrets->setObjectName(u"showSecrets"_s);
    m_showSecrets->setToolTip(u"Show (and edit) the values of tokens, keys and passwords"_s);
    m_saveButton = new QToolButton(this);
    m_saveButton->setObjectName(u"saveEnvironment"_s);
    m_saveButton->setText(u"Save"_s);
    m_saveButton->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_saveButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_status = new QLabel(this);
    m_status->setObjectName(u"environmentStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_builtInLabel = new QLabel(this);
    m_builtInLabel->setObjectName(u"builtInVariables"_s);
    m_builtInLabel->setWordWrap(true);
    m_builtInLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_builtInLabel->setForegroundRole(QPalette::PlaceholderText);
    m_builtInLabel->setToolTip(tr("Defined by wsprobe in every environment; an environment that "
                                  "defines the same name wins"));
    m_builtInLabel->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_picker, 1);
    top->addWidget(m_newButton);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_addButton);
    bottom->addWidget(m_removeButton);
    bottom->addWidget(m_showSecrets);
    bottom->addStretch(1);
    bottom->addWidget(m_saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);
    layout->addWidget(m_builtInLabel);
    layout->addWidget(m_status);

    connect(m_picker, &QComboBox::activated, this, &EnvironmentEditor::onPickerActivated);
    connect(m_newButton, &QToolButton::clicked, this, &EnvironmentEditor::askNewEnvironment);
    connect(m_addButton, &QToolButton::clicked, this, &EnvironmentEditor::addVariable);
    connect(m_removeButton, &QToolButton::clicked, this, &EnvironmentEditor::removeSelected);
    connect(m_showSecrets, &QCheckBox::toggled, m_variables, &EnvironmentVariablesModel::setShowSecrets);
    connect(m_saveButton, &QToolButton::clicked, this, [this] {
        QString error;
        if (save(&error)) {
            showProblem({});
            m_status->setText(u"Saved %1"_s.arg(QFileInfo(m_activeFile).fileName()));
        } else {
            showProblem(error);
        }
    });
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    saveShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(saveShortcut, &QShortcut::activated, m_saveButton, &QToolButton::click);

    connect(m_variables, &EnvironmentVariablesModel::modifiedChanged, this, &EnvironmentEditor::updateState);
    connect(m_variables, &QAbstractItemModel::modelReset, this, [this] { Q_EMIT variablesChanged(); });
    connect(m_variables, &QAbstractItemModel::dataChanged, this, [this] {
        updateState();
        Q_EMIT variablesChanged();
    });
    connect(m_variables, &QAbstractItemModel::rowsInserted, this, [this] { Q_EMIT variablesChanged(); });
    connect(m_variables, &QAbstractItemModel::rowsRemoved, this, [this] { Q_EMIT variablesChanged(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EnvironmentEditor::updateState);
    connect(m_environments, &QAbstractItemModel::modelReset, this, &EnvironmentEditor::selectActiveInPicker);
    updateState();
}

void EnvironmentEditor::setWorkspace(const QString &folder)
{
    m_environments->setFolder(folder);
    if (m_environments->rowOf(m_activeFile) == 0)
        setActiveFile({});
    selectActiveInPicker();
    updateState();
}

QString EnvironmentEditor::workspace() const
{
    return m_environments->folder();
}

void EnvironmentEditor::refresh()
{
    m_environments->refresh();
    if (!m_activeFile.isEmpty() && m_environments->rowOf(m_activeFile) == 0 && !QFileInfo::exists(m_activeFile))
        setActiveFile({});
    selectActiveInPicker();
}

bool EnvironmentEditor::setActiveFile(const QString &filePath)
{
    m_activeFile = filePath.isEmpty() ? QString()
                                      : QDir::cleanPath(QFileInfo(filePath).absoluteFilePath());
    m_loadError.clear();
    bool loaded = true;
    if (m_activeFile.isEmpty())
        m_variables->clear();
    else
        loaded = m_variables->load(m_activeFile, &m_loadError);
    m_status->clear();
    if (!loaded)
        showProblem(m_loadError);
    selectActiveInPicker();
    updateState();
    Q_EMIT activeFileChanged(m_activeFile);
    Q_EMIT variablesChanged();
    return loaded;
}

Variables EnvironmentEditor::activeVariables() const
{
    Variables variables;
    if (!m_activeFile.isEmpty() && m_loadError.isEmpty()) {
        for (const EnvironmentVariablesModel::Variable &variable : m_variables->variables()) {
            // Rows save() would refuse are left out rather than half applied.
            const QString name = variable.name.trimmed();
            if (VariableSyntax::isValidName(name) && !variables.layerOf(name))
                variables.set(Variables::Layer::EnvironmentFile, name, variable.value);
        }
    }
    variables.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    for (auto it = m_builtIns.cbegin(); it != m_builtIns.cend(); ++it)
        variables.set(Variables::Layer::BuiltIn, it.key(), it.value());
    return variables;
}

void EnvironmentEditor::setBuiltInVariables(const QMap<QString, QString> &variables)
{
    m_builtIns = variables;
    QStringList lines;
    for (auto it = m_builtIns.cbegin(); it != m_builtIns.cend(); ++it)
        lines.append(tr("Built in: %1 = %2").arg(VariableSyntax::reference(it.key()), it.value()));
    m_builtInLabel->setText(lines.join(u'\n'));
    m_builtInLabel->setVisible(!lines.isEmpty());
    Q_EMIT variablesChanged();
}

bool EnvironmentEditor::isModified() const
{
    return m_variables->isModified();
}

bool EnvironmentEditor::save(QString *error)
{
    QString problem;
    bool saved = false;
    if (m_activeFile.isEmpty())
        problem = u"No environment is chosen"_s;
    else if (!m_loadError.isEmpty())
        problem = u"The file could not be read, so it is not overwritten:\n"_s + m_loadError;
    else
        saved = m_variables->save(m_activeFile, &problem);
    if (error)
        *error = problem;
    if (saved) {
        m_status->clear();
        Q_EMIT variablesChanged();
    }
    updateState();
    return saved;
}

QString EnvironmentEditor::createEnvironment(const QString &name, QString *error)
{
    QString base = name.trimmed();
    if (base.endsWith(EnvironmentsModel::Suffix))
        base.chop(EnvironmentsModel::Suffix.size());
    QString problem;
    if (workspace().isEmpty())
        problem = u"Open a workspace folder first"_s;
    else if (base.isEmpty())
        problem = u"Give the environment a name"_s;
    else if (base.contains(u'/') || base.contains(u'\\') || base.startsWith(u'.'))
        problem = u"\"%1\" cannot be a file name here"_s.arg(base);
    const QString path = QDir(workspace()).filePath(base + EnvironmentsModel::Suffix.toString());
    if (problem.isEmpty() && QFileInfo::exists(path))
        problem = u"%1 already exists"_s.arg(QFileInfo(path).fileName());
    if (problem.isEmpty()) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            problem = u"%1: %2"_s.arg(path, file.errorString());
        } else {
            file.write(EnvironmentVariablesModel::toJson({}));
            if (!file.commit())
                problem = u"%1: %2"_s.arg(path, file.errorString());
        }
    }
    if (error)
        *error = problem;
    if (!problem.isEmpty())
        return {};
    m_environments->refresh();
    setActiveFile(path);
    return m_activeFile;
}

bool EnvironmentEditor::maySwitch()
{
    if (!m_variables->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, u"Unsaved variables"_s,
        u"Save the changes to %1 first?"_s.arg(m_environments->environmentName(m_activeFile)),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard)
        return true;
    if (answer == QMessageBox::Cancel)
        return false;
    QString error;
    if (save(&error))
        return true;
    showProblem(error);
    return false;
}

void EnvironmentEditor::onPickerActivated(int row)
{
    const QString path = m_environments->filePath(row);
    if (path == m_activeFile)
        return;
    if (!maySwitch()) {
        selectActiveInPicker();
        return;
    }
    setActiveFile(path);
}

void EnvironmentEditor::askNewEnvironment()
{
    if (!maySwitch())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, u"New environment"_s,
                                               u"Name (saved as <name>.env.json in the workspace):"_s,
                                               QLineEdit::Normal, {}, &ok);
    if (!ok)
        return;
    QString error;
    if (createEnvironment(name, &error).isEmpty())
        showProblem(error);
}

void EnvironmentEditor::addVariable()
{
    const int row = m_variables->addVariable();
    const QModelIndex cell = m_variables->index(row, EnvironmentVariablesModel::NameColumn);
    m_table->setCurrentIndex(cell);
    m_table->edit(cell);
}

void EnvironmentEditor::removeSelected()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_variables->removeVariable(row);
}

void EnvironmentEditor::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        showProblem(m_status->text());  // its colour is in a style sheet: the new theme's shade
}

void EnvironmentEditor::showProblem(const QString &problem)
{
    m_status->setText(problem);
    m_status->setStyleSheet(problem.isEmpty() ? QString()
                                              : u"color: %1"_s.arg(ThemeColors::failure(palette()).name()));
}

void EnvironmentEditor::updateState()
{
    const bool editable = !m_activeFile.isEmpty() && m_loadError.isEmpty();
    m_table->setEnabled(editable);
    m_addButton->setEnabled(editable);
    m_removeButton->setEnabled(editable && m_table->selectionModel()->hasSelection());
    m_showSecrets->setEnabled(editable);
    m_saveButton->setEnabled(editable && m_variables->isModified());
    m_newButton->setEnabled(!workspace().isEmpty());
    if (editable && m_variables->isModified()) {
        const QString problems = m_variables->validationErrors();
        showProblem(problems);
        if (problems.isEmpty()) {
            m_status->setText(u"Unsaved changes"_s);
            m_status->setStyleSheet({});
        }
    } else if (editable && m_status->text() == u"Unsaved changes"_s) {
        m_status->clear();
    }
}

void EnvironmentEditor::selectActiveInPicker()
{
    m_picker->setCurrentIndex(m_environments->rowOf(m_activeFile));
}

} // namespace wsprobe

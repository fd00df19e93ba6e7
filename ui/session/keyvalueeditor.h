#pragma once

#include "keyvaluemodel.h"

#include <QWidget>

class QCheckBox;
class QPushButton;
class QTableView;

namespace wsprobe {

// A key/value table as in Postman's Params and Headers tabs: a checkbox per row, the key, the
// value, an always-empty last row to type new rows into, Remove (or the Delete key) for the
// selected rows, and a "Show secrets" toggle when the keys may name secrets. {{variables}} in
// values are drawn in colour (red when not defined) and expanded in the tooltip.
class KeyValueEditor : public QWidget
{
    Q_OBJECT

public:
    explicit KeyValueEditor(QWidget *parent = nullptr);

    KeyValueModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    QList<KeyValue> rows() const { return m_model->rows(); }
    void setRows(const QList<KeyValue> &rows) { m_model->setRows(rows); }

    // Also shows the "Show secrets" toggle unless secrets is None.
    void setSecrets(KeyValueModel::Secrets secrets);
    void setShowSecrets(bool show);
    bool showSecrets() const { return m_model->showSecrets(); }
    // Not owned; may be null.
    void setVariables(const Variables *variables) { m_model->setVariables(variables); }
    // The grey hints in the empty last row ("Key", "Value" unless set).
    void setPlaceholders(const QString &key, const QString &value);

    // Removes the selected rows (the placeholder row is never removed).
    void removeSelected();

Q_SIGNALS:
    // The user (or setRows) changed the rows.
    void edited();

private:
    void updateButtons();

    KeyValueModel *m_model;       // Owned (child).
    QTableView *m_view;
    QPushButton *m_removeButton;
    QCheckBox *m_showSecrets;
};

} // namespace wsprobe
